import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { SystemLine } from '../../protocol';
import { ACCEPT } from '../../client/file-pick';
import type { ViewMessage } from '../core/connection';
import type { I18n } from '../i18n';
import type { LinkSource } from './sb-file';
import { fileIcon } from './icons';
import { fileRefusalText } from '../i18n/file-refusal';

/** What a message row needs to show files: the link source, and cancel for a file being sent. */
export interface FileActions {
  source: LinkSource;
  /** Answer a document request with these files. */
  answer(requestId: string, files: File[]): void;
  cancel(clientId: string): void;
  discard(clientId: string): void;
}

/**
 * The files of one row: a stored message's files as <sb-file>, or a message still being sent with
 * a progress bar per file and Cancel; a refused one says why and can be removed.
 */
export function renderFiles(i18n: I18n, m: ViewMessage, a: FileActions | undefined): TemplateResult | typeof nothing {
  if (!a) return nothing;
  if (m.attachments?.length) return html`${m.attachments.map((f) => html`<sb-file .file=${f} .source=${a.source} .deletedText=${i18n.t('fileDeleted')}></sb-file>`)}`;
  if (!m.files?.length) return nothing;
  if (m.state === 'failed') {
    return html`<p class="file-error" role="alert">${m.error === undefined ? i18n.t('failed') : fileRefusalText(i18n, m.errorCode, m.error)}</p>
      <button type="button" class="link-btn" @click=${() => a.discard(m.key)}>${i18n.t('removeMessage')}</button>`;
  }
  return html`${m.files.map((f) => {
      const p = f.progress;
      const value = f.id ? 1 : p && p.total ? p.loaded / p.total : 0;
      return html`<div class="upload">
        <span class="file-name">${fileIcon} ${f.name}</span>
        <progress max="1" .value=${value} aria-label=${i18n.t('uploading', { name: f.name })}></progress>
        ${p?.retrying ? html`<span class="retrying">${i18n.t('uploadRetrying')}</span>` : nothing}
      </div>`;
    })}
    ${m.state === 'sending' ? html`<button type="button" class="link-btn" @click=${() => a.cancel(m.key)}>${i18n.t('cancelUpload')}</button>` : nothing}`;
}

/**
 * An agent's document request as a card in the customer's thread: what is asked, and an upload
 * button (camera on phones) until the customer has answered it; then it says it was sent.
 */
export function renderRequestCard(i18n: I18n, l: Extract<SystemLine, { kind: 'document_requested' }>, fulfilled: boolean, a: FileActions | undefined): TemplateResult {
  const kind = i18n.t(`requestKind_${l.docKind}` as 'requestKind_other');
  const pick = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length) a?.answer(l.requestId, files);
  };
  return html`<li class="request" part="line request" data-kind="document_requested" data-request=${l.requestId}>
    <p>${i18n.t('requestTitle', { name: l.by ?? i18n.t('someone'), kind })}</p>
    ${l.note ? html`<p class="note">${l.note}</p>` : nothing}
    ${fulfilled
      ? html`<p class="done" role="status">✓ ${i18n.t('requestDone')}</p>`
      : html`<button type="button" class="primary" @click=${(e: Event) => ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement).click()}>${i18n.t('requestUpload')}</button>
          <input type="file" hidden accept=${ACCEPT} multiple @change=${pick} />`}
  </li>`;
}
