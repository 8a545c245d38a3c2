import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { CsatScore, CustomerConversationState } from '../../protocol';
import type { I18n } from '../i18n';

/** The rating as the server keeps it. */
export type SavedRating = CustomerConversationState['csat'];

/** What the customer last sent with `csat.rate`, to be matched against what the server saved. */
export interface SentRating {
  score: CsatScore;
  comment: string | null;
}

/**
 * Whether to thank the customer: the server's state shows what they sent (the score, and the
 * comment when they submitted one), and nothing they typed is still waiting to be submitted. A
 * rating saved before this page (a reload, another device) is theirs too. Thanking on the click
 * would thank for a rating the server refused (too many changes) or never got.
 */
export function ratingSaved(saved: SavedRating, sent: SentRating | null, typed: string): boolean {
  if (!saved) return false;
  const text = typed.trim();
  if (text && text !== (sent?.comment ?? saved.comment ?? '')) return false;
  if (!sent) return true;
  return saved.score === sent.score && (sent.comment === null || saved.comment === sent.comment);
}

/** What the form shows and calls back. */
export interface CsatFormProps {
  saved: SavedRating;
  /** The score a submitted comment goes with: the one last chosen, else the saved one. */
  score: CsatScore | null;
  comment: string;
  thanks: boolean;
  rate(score: CsatScore): void;
  type(text: string): void;
  submit(e: SubmitEvent): void;
}

/**
 * "How did we do?": two score buttons that rate at once, and an optional comment with its own
 * submit button. The thanks line is a live region that is always there, so screen readers
 * announce it when the server has saved the rating, not when it was clicked.
 */
export function renderCsatForm(i18n: I18n, p: CsatFormProps): TemplateResult {
  const choice = (score: CsatScore, label: string) =>
    html`<button class="choice" type="button" aria-pressed=${p.saved?.score === score ? 'true' : 'false'} @click=${() => p.rate(score)}>${label}</button>`;
  return html`<section class="csat" aria-labelledby="csat-title">
    <h3 id="csat-title">${i18n.t('rateTitle')}</h3>
    <div class="choices" role="group" aria-labelledby="csat-title">${choice('good', `👍 ${i18n.t('rateGood')}`)} ${choice('bad', `👎 ${i18n.t('rateBad')}`)}</div>
    <form class="comment" @submit=${p.submit}>
      <label class="field"
        ><span>${i18n.t('rateComment')}</span
        ><textarea name="comment" rows="2" maxlength="2000" .value=${p.comment} @input=${(e: InputEvent) => p.type((e.target as HTMLTextAreaElement).value)}></textarea
      ></label>
      <button class="primary" type="submit" ?disabled=${!p.score || !p.comment.trim()}>${i18n.t('rateSubmit')}</button>
    </form>
    <p class="note" role="status">${p.thanks ? `${i18n.t('rateThanks')} ${i18n.t('rateChange')}` : ''}</p>
  </section>`;
}
