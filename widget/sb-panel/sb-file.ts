import { LitElement, css, html, nothing } from 'lit';
import type { Attachment, DownloadLinkResponse } from '../../protocol';
import { fileIcon } from './icons';

/** Where a file's signed link comes from (the connection, with the customer's session). */
export type LinkSource = (id: string) => Promise<DownloadLinkResponse>;

/**
 * One file in the customer's thread: a thumbnail for a picture, a card for a PDF or a HEIC, each
 * opening the file in a new tab through a signed link of a few minutes, fetched when shown and
 * again when it is about to end. A deleted file says so and links nowhere.
 *
 * @csspart file - the link or card
 */
export class SbFile extends LitElement {
  static override styles = css`
    :host { display: block; margin-top: 4px; }
    a { display: inline-flex; gap: 6px; align-items: center; color: inherit; text-decoration: underline; max-width: 100%; }
    img { display: block; max-width: 200px; max-height: 160px; border-radius: 8px; }
    .gone { opacity: 0.7; font-style: italic; }
  `;
  static override properties = { file: { attribute: false }, source: { attribute: false }, link: { state: true }, deletedText: { attribute: false } };

  declare file: Attachment;
  declare source: LinkSource;
  declare link: DownloadLinkResponse | null;
  /** What to say for a file retention deleted. */
  declare deletedText: string;

  constructor() {
    super();
    this.link = null;
    this.deletedText = 'Deleted';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    if (!this.file || this.file.deletedAt !== null) return;
    if (this.link && this.link.expiresAt - Date.now() > 30_000) return;
    this.link = await this.source(this.file.id).catch(() => null);
  }

  override render() {
    const f = this.file;
    if (f.deletedAt !== null) return html`<span class="gone" part="file">${fileIcon} ${f.name} — ${this.deletedText}</span>`;
    const picture = f.type !== 'application/pdf' && f.type !== 'image/heic';
    const label = `${f.name} (${Math.max(1, Math.round(f.size / 1024))} KB)`;
    return html`<a part="file" href=${this.link?.url ?? nothing} target="_blank" rel="noopener noreferrer" @pointerenter=${() => this.refresh()} @focus=${() => this.refresh()}
      >${picture && this.link ? html`<img src=${this.link.url} alt=${f.name} />` : html`${fileIcon}<span>${label}</span>`}</a
    >`;
  }
}

/** Register <sb-file> once. */
export function defineSbFile(): void {
  if (!customElements.get('sb-file')) customElements.define('sb-file', SbFile);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-file': SbFile;
  }
}
