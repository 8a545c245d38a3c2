import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { DOCUMENT_TYPES } from '../../protocol';
import type { I18n } from '../i18n';

/** What the file inputs offer; the server decides from the bytes anyway. */
export const ACCEPT = DOCUMENT_TYPES.join(',');

/**
 * The files the customer picked for the next message: from the attach button, the camera (phones
 * open it for `capture`), a drop onto the panel or a paste. Kept until sent or removed; the
 * limits are the server's (it answers in words the customer understands).
 */
export class FilePick {
  files: File[] = [];

  constructor(private readonly changed: () => void) {}

  /** Add files from an input, a drop or a paste. */
  add(list: FileList | readonly File[] | null | undefined): void {
    if (!list?.length) return;
    this.files = [...this.files, ...Array.from(list)];
    this.changed();
  }

  /** Files in a paste (a screenshot, a copied photo); the paste's text is left alone. */
  onPaste(e: ClipboardEvent): void {
    const files = Array.from(e.clipboardData?.files ?? []);
    if (files.length) {
      e.preventDefault();
      this.add(files);
    }
  }

  /** Let files be dropped onto the panel. */
  onDragOver(e: DragEvent): void {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  }

  onDrop(e: DragEvent): void {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    this.add(e.dataTransfer.files);
  }

  /** Hand the picked files to the message being sent. */
  take(): File[] {
    const out = this.files;
    this.files = [];
    this.changed();
    return out;
  }

  private remove(i: number): void {
    this.files = this.files.filter((_, n) => n !== i);
    this.changed();
  }

  /** The attach and camera buttons (file inputs behind labels) and the picked files' chips. */
  render(i18n: I18n): TemplateResult {
    const pick = (e: Event) => {
      const input = e.target as HTMLInputElement;
      this.add(input.files);
      input.value = '';
    };
    return html`<div class="attach">
      <label class="attach-btn" title=${i18n.t('attach')}><span aria-hidden="true">📎</span><span class="sr-only">${i18n.t('attach')}</span><input type="file" class="sr-only" accept=${ACCEPT} multiple @change=${pick} /></label>
      <label class="attach-btn camera" title=${i18n.t('camera')}><span aria-hidden="true">📷</span><span class="sr-only">${i18n.t('camera')}</span><input type="file" class="sr-only" accept="image/*" capture="environment" @change=${pick} /></label>
    </div>
    ${this.files.length
      ? html`<ul class="picked" aria-label=${i18n.t('attached')}>
          ${this.files.map((f, i) => html`<li>${f.name}<button type="button" aria-label=${i18n.t('removeFile', { name: f.name })} @click=${() => this.remove(i)}>×</button></li>`)}
        </ul>`
      : nothing}`;
  }
}
