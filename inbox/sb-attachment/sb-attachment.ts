import { LitElement, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import type { Attachment, DownloadLinkResponse } from '../../protocol';
import type { AgentFiles } from '../core/agent-files';
import { styles } from './sb-attachment.styles';

/**
 * One file of a message in the agent's thread: an image thumbnail or an inline PDF preview, each
 * through a signed link of a few minutes (renewed when it is about to end). A sensitive document
 * (a passport scan) shows as a covered card until the agent reveals it, which the server audits
 * before it hands out the link, like revealing a masked number. Any file not yet sensitive has a
 * "Mark sensitive" button (audited); once marked, by this agent or another, the link in hand is
 * dropped and the file is covered until revealed. A deleted file says when.
 *
 * @csspart file - the preview or card
 */
export class SbAttachment extends LitElement {
  static override styles = styles;
  static override properties = { file: { attribute: false }, files: { attribute: false }, link: { state: true }, failed: { state: true } };

  /** The attachment to show. */
  declare file: Attachment;
  /** The conversation's files helper (links, reveal). */
  declare files: AgentFiles;
  declare link: DownloadLinkResponse | null;
  declare failed: string | null;
  /** Whether the link in hand came from an audited reveal (so a later mark need not cover it). */
  private revealed = false;

  constructor() {
    super();
    this.link = null;
    this.failed = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Marked sensitive while open: a link got without a reveal is no longer shown.
    if (changed.has('file') && this.file.sensitive && !this.revealed) this.link = null;
  }

  private async mark(): Promise<void> {
    try {
      const r = await this.files.markSensitive(this.file.id);
      this.file = { ...this.file, ...r.attachment };
      this.failed = null;
    } catch (err) {
      this.failed = err instanceof Error ? err.message : 'The file could not be marked';
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.file && !this.file.sensitive) void this.load(false);
  }

  private async load(reveal: boolean): Promise<void> {
    if (this.file.deletedAt !== null) return;
    try {
      this.link = await this.files.link(this.file.id, reveal);
      this.revealed = reveal;
      this.failed = null;
    } catch (err) {
      this.failed = err instanceof Error ? err.message : 'The file could not be opened';
    }
  }

  /** Renew a link about to end before the agent opens it. */
  private fresh(): void {
    if (this.link && this.link.expiresAt - Date.now() < 30_000) void this.load(this.file.sensitive);
  }

  override render() {
    const f = this.file;
    const size = `${Math.max(1, Math.round(f.size / 1024))} KB`;
    if (f.deletedAt !== null) return html`<span class="card muted" part="file">File ${f.name} — deleted on ${new Date(f.deletedAt).toLocaleDateString()} (retention)</span>`;
    if (!this.link) {
      if (f.sensitive) {
        return html`<div class="sensitive" part="file" data-sensitive>
          <span><strong>Sensitive document</strong>: ${f.name}</span>
          <button class="btn" type="button" aria-label="Reveal the sensitive document ${f.name}" @click=${() => void this.load(true)}>Reveal</button>
          ${this.failed ? html`<span class="muted" role="alert">${this.failed}</span>` : html`<span class="muted">Your access is recorded.</span>`}
        </div>`;
      }
      return html`<span class="card muted" part="file">File ${f.name} · ${size}${this.failed ? ` — ${this.failed}` : ''} ${this.markButton()}</span>`;
    }
    const url = this.link.url;
    const open = html`<a href=${url} target="_blank" rel="noopener noreferrer" @pointerenter=${() => this.fresh()} @focus=${() => this.fresh()}>${f.name}</a> <span class="muted">${size}</span> ${this.markButton()}`;
    if (f.type === 'application/pdf') return html`<div part="file"><iframe title="Preview of ${f.name}" src=${url}></iframe><div>${open}</div></div>`;
    if (f.type === 'image/heic') return html`<span class="card" part="file">${open} <span class="muted">(HEIC: download to view)</span></span>`;
    return html`<div part="file"><a href=${url} target="_blank" rel="noopener noreferrer"><img src=${url} alt="Preview of ${f.name}" /></a><div>${open}${f.sensitive ? html` <span class="muted">· revealed, access recorded</span>` : nothing}</div></div>`;
  }

  private markButton() {
    if (this.file.sensitive) return nothing;
    return html`<button class="btn link" type="button" aria-label="Mark ${this.file.name} sensitive" title="Cover it for every agent until an audited reveal" @click=${() => void this.mark()}>Mark sensitive</button>`;
  }
}

/** Register <sb-attachment> once. */
export function defineSbAttachment(): void {
  if (!customElements.get('sb-attachment')) customElements.define('sb-attachment', SbAttachment);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-attachment': SbAttachment;
  }
}
