import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { ACCEPT } from '../../client/file-pick';
import type { FilePick } from '../../client/file-pick';
import type { I18n } from '../i18n';

/** The composer's attach and camera buttons (file inputs behind labels) and the picked files' chips. */
export function renderFilePick(i18n: I18n, pick: FilePick): TemplateResult {
  return html`<div class="attach">
      <label class="attach-btn" title=${i18n.t('attach')}><span aria-hidden="true">📎</span><span class="sr-only">${i18n.t('attach')}</span><input type="file" class="sr-only" accept=${ACCEPT} multiple @change=${(e: Event) => pick.fromInput(e)} /></label>
      <label class="attach-btn camera" title=${i18n.t('camera')}><span aria-hidden="true">📷</span><span class="sr-only">${i18n.t('camera')}</span><input type="file" class="sr-only" accept="image/*" capture="environment" @change=${(e: Event) => pick.fromInput(e)} /></label>
    </div>
    ${pick.files.length
      ? html`<ul class="picked" aria-label=${i18n.t('attached')}>
          ${pick.files.map((f, i) => html`<li>${f.name}<button type="button" aria-label=${i18n.t('removeFile', { name: f.name })} @click=${() => pick.remove(i)}>×</button></li>`)}
        </ul>`
      : nothing}`;
}
