import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { MAX_TEXT } from '../../protocol';
import type { OfflineMessageResponse } from '../../protocol';
import type { I18n } from '../i18n';

/**
 * The away form, shown when nobody is online. It promises an answer by e-mail only when the brand
 * has e-mail (BrandResponse.email); otherwise the answer comes here, in the chat. A signed-in
 * subscriber (an identity token) is not asked for a name or an address: the partner told us both.
 */
export interface AwayFormProps {
  /** The brand has e-mail configured. */
  mail: boolean;
  /** The customer is signed in (an identity token was given to the widget). */
  signedIn: boolean;
  sent: (OfflineMessageResponse & { email: string }) | null;
  errors: Record<string, string>;
  submit: (e: SubmitEvent) => void;
}

/** Which fields the form asks for. */
export function awayFields(mail: boolean, signedIn: boolean): ('name' | 'email' | 'text')[] {
  if (signedIn) return ['text'];
  return mail ? ['name', 'email', 'text'] : ['name', 'text'];
}

/** Check the form's values: what is missing or malformed, by field. */
export function checkAway(i18n: I18n, fields: string[], value: (k: string) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const k of fields) if (!value(k)) errors[k] = i18n.t('required');
  if (fields.includes('email') && value('email') && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value('email'))) errors.email = i18n.t('badEmail');
  return errors;
}

/** The form, or the confirmation once it was sent. */
export function renderAwayForm(i18n: I18n, p: AwayFormProps): TemplateResult {
  if (p.sent) {
    const done =
      p.sent.answerBy === 'chat'
        ? i18n.t('offlineDoneChat', { number: p.sent.number })
        : p.sent.email
          ? i18n.t('offlineDone', { number: p.sent.number, email: p.sent.email })
          : i18n.t('offlineDoneAccount', { number: p.sent.number });
    return html`<div class="offline" role="status"><p>${done}</p></div>`;
  }
  const fields = awayFields(p.mail, p.signedIn);
  const err = (k: string) => (p.errors[k] ? html`<span class="error" id="err-${k}">${p.errors[k]}</span>` : nothing);
  return html`<form class="offline" novalidate @submit=${p.submit}>
    <h3>${i18n.t('offlineTitle')}</h3>
    <p class="promise">${p.mail ? i18n.t('offlineIntro') : i18n.t('offlineIntroChat')}</p>
    ${fields.includes('name')
      ? html`<label class="field"><span>${i18n.t('offlineName')}</span><input name="name" autocomplete="name" aria-invalid=${p.errors.name ? 'true' : 'false'} aria-describedby="err-name" />${err('name')}</label>`
      : nothing}
    ${fields.includes('email')
      ? html`<label class="field"><span>${i18n.t('offlineEmail')}</span><input name="email" type="email" autocomplete="email" aria-invalid=${p.errors.email ? 'true' : 'false'} aria-describedby="err-email" />${err('email')}</label>`
      : nothing}
    <label class="field"><span>${i18n.t('offlineText')}</span><textarea name="text" rows="4" maxlength=${MAX_TEXT} aria-invalid=${p.errors.text ? 'true' : 'false'} aria-describedby="err-text"></textarea>${err('text')}</label>
    ${err('form')}
    <button class="primary" type="submit">${i18n.t('offlineSubmit')}</button>
  </form>`;
}
