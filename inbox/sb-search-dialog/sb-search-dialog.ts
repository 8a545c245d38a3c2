import { html, nothing } from 'lit';
import type { SearchHit, SearchResponse } from '../../protocol';
import { api, shownError } from '../core/api';
import { keys } from '../shared/badges';
import { ModalElement } from '../shared/modal';
import type { OpenConversationDetail } from '../sb-queue/sb-queue';
import { styles } from './sb-search-dialog.styles';

/** How long typing pauses before a search goes out: each key would be a request otherwise. */
const TYPING_PAUSE_MS = 120;

const KIND_LABEL: Record<SearchHit['kind'], string> = { message: 'Message', note: 'Note', contact: 'Contact', ticket: 'Ticket' };

/**
 * Ctrl+K: search every conversation the agent may see (messages, notes, contacts, `#123`),
 * results as they type. Enter or a click opens the hit's conversation as a tab. Every text comes
 * masked from the server; highlights are ranges, drawn as <mark> by Lit bindings, never as HTML.
 *
 * @event sb-open-conversation - a hit was chosen; detail: { id, number }
 * @csspart dialog - the modal dialog
 * @cssproperty --sb-highlight - the background of a matched word
 * @cssproperty --sb-hover - the chosen row
 */
export class SbSearchDialog extends ModalElement {
  static override styles = styles;
  static override properties = {
    q: { state: true },
    hits: { state: true },
    chosen: { state: true },
    status: { state: true },
  };

  declare private q: string;
  declare private hits: SearchHit[];
  declare private chosen: number;
  declare private status: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers may overtake each other; only the one for the latest text is shown. */
  private asked = 0;

  constructor() {
    super();
    this.reset();
  }

  protected override reset(): void {
    this.q = '';
    this.hits = [];
    this.chosen = 0;
    this.status = '';
  }

  private typed(q: string): void {
    this.q = q;
    clearTimeout(this.timer);
    if (!q.trim()) {
      this.hits = [];
      this.status = '';
      return;
    }
    this.timer = setTimeout(() => void this.search(q.trim()), TYPING_PAUSE_MS);
  }

  private async search(q: string): Promise<void> {
    const ask = ++this.asked;
    try {
      const res = await api<SearchResponse>(`/v1/agent/search?q=${encodeURIComponent(q)}&limit=20`);
      if (ask !== this.asked) return;
      this.hits = res.hits;
      this.chosen = 0;
      this.status = res.hits.length ? `${res.hits.length}${res.nextCursor ? '+' : ''} found` : 'Nothing found';
    } catch (err) {
      if (ask === this.asked) this.status = shownError(err).message;
    }
  }

  private choose(hit: SearchHit | undefined): void {
    if (!hit) return;
    this.close();
    const detail: OpenConversationDetail = { id: hit.conversationId, number: hit.number };
    this.dispatchEvent(new CustomEvent('sb-open-conversation', { detail, bubbles: true, composed: true }));
  }

  private readonly key = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = this.hits.length;
      if (n) this.chosen = (this.chosen + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
    } else if (e.key === 'Enter') {
      e.preventDefault();
      this.choose(this.hits[this.chosen]);
    } else if (e.key === 'Escape') {
      // A search field takes the first Escape to clear itself; here one Escape closes the search.
      e.preventDefault();
      this.close();
    }
  };

  override render() {
    return html`<dialog part="dialog" aria-label="Search conversations" @keydown=${this.trap}>
      <div class="body">
        <input
          type="search"
          autofocus
          placeholder="Search messages, notes, people, #ticket"
          aria-label="Search"
          aria-controls="hits"
          .value=${this.q}
          @input=${(e: InputEvent) => this.typed((e.target as HTMLInputElement).value)}
          @keydown=${this.key}
        />
        <p class="status" role="status">${this.status} ${this.hits.length ? html`· ${keys('↑')} ${keys('↓')} ${keys('Enter')} opens` : nothing}</p>
        <ol id="hits" role="listbox" aria-label="Results">
          ${this.hits.map(
            (h, i) => html`<li>
              <button type="button" role="option" aria-selected=${i === this.chosen ? 'true' : 'false'} @click=${() => this.choose(h)}>
                <span class="number">#${h.number}</span><span class="kind">${KIND_LABEL[h.kind]}</span><span class="snippet">${marked(h)}</span>
              </button>
            </li>`,
          )}
        </ol>
      </div>
    </dialog>`;
  }
}

/** The snippet in parts, its highlight ranges as <mark>. */
function marked(h: SearchHit) {
  const parts = [];
  let at = 0;
  for (const [a, b] of h.highlights) {
    if (a < at || b > h.snippet.length) continue;
    parts.push(h.snippet.slice(at, a), html`<mark>${h.snippet.slice(a, b)}</mark>`);
    at = b;
  }
  parts.push(h.snippet.slice(at));
  return parts;
}

/** Register <sb-search-dialog> once. */
export function defineSbSearchDialog(): void {
  if (!customElements.get('sb-search-dialog')) customElements.define('sb-search-dialog', SbSearchDialog);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-search-dialog': SbSearchDialog;
  }
}
