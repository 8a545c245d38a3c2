import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ViewMessage } from '../core/connection';
import type { I18n } from '../i18n';
import type { LinkSource } from './sb-file';

/** What a message row needs to show files: the link source, and cancel for a file being sent. */
export interface FileActions {
  source: LinkSource;
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
    return html`<p class="file-error" role="alert">${m.error ?? i18n.t('failed')}</p>
      <button type="button" class="link-btn" @click=${() => a.discard(m.key)}>${i18n.t('removeMessage')}</button>`;
  }
  return html`${m.files.map((f) => {
      const p = f.progress;
      const value = f.id ? 1 : p && p.total ? p.loaded / p.total : 0;
      return html`<div class="upload">
        <span class="file-name">📄 ${f.name}</span>
        <progress max="1" .value=${value} aria-label=${i18n.t('uploading', { name: f.name })}></progress>
        ${p?.retrying ? html`<span class="retrying">${i18n.t('uploadRetrying')}</span>` : nothing}
      </div>`;
    })}
    ${m.state === 'sending' ? html`<button type="button" class="link-btn" @click=${() => a.cancel(m.key)}>${i18n.t('cancelUpload')}</button>` : nothing}`;
}
