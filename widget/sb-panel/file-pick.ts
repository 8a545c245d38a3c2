import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { ACCEPT } from '../../client/file-pick';
import type { FilePick } from '../../client/file-pick';
import type { I18n } from '../i18n';
import { cameraIcon, clipIcon } from './icons';

/** Open the hidden file input next to the button that was pressed. */
function openPicker(e: Event): void {
  ((e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement | null)?.click();
}

/**
 * The composer's attach and camera buttons and the picked files' chips. Buttons open hidden file
 * inputs, so the keyboard meets buttons only; `capture` makes phones open the camera.
 */
export function renderFilePick(i18n: I18n, pick: FilePick): TemplateResult {
  const onPick = (e: Event) => pick.fromInput(e);
  return html`<div class="attach">
      <button type="button" class="attach-btn" aria-label=${i18n.t('attach')} title=${i18n.t('attach')} @click=${openPicker}>${clipIcon}</button>
      <input type="file" hidden accept=${ACCEPT} multiple @change=${onPick} />
      <button type="button" class="attach-btn camera" aria-label=${i18n.t('camera')} title=${i18n.t('camera')} @click=${openPicker}>${cameraIcon}</button>
      <input type="file" hidden accept="image/*" capture="environment" @change=${onPick} />
    </div>
    ${pick.files.length
      ? html`<ul class="picked" aria-label=${i18n.t('attached')}>
          ${pick.files.map((f, i) => html`<li>${f.name}<button type="button" aria-label=${i18n.t('removeFile', { name: f.name })} @click=${() => pick.remove(i)}>×</button></li>`)}
        </ul>`
      : nothing}`;
}
