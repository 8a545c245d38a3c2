import { html, nothing } from 'lit';
import type { AgentLoad, AgentsResponse } from '../../protocol';
import { api, shownError } from '../core/api';
import type { ShownError } from '../core/api';
import type { ConversationSession } from '../core/conversation-session';
import { errorLine } from '../shared/badges';
import { ModalElement } from '../shared/modal';
import { styles } from './sb-assign-dialog.styles';

const PRESENCE_ORDER = { online: 0, away: 1, offline: 2 } as const;

/**
 * Assign or transfer a conversation to an agent (their status and load shown), or back to the queue.
 * The dialog's frame, fields and buttons take the shared theme (shared/dialog.styles.ts and
 * base.styles.ts; see <sb-inbox>).
 *
 * @csspart dialog - the modal dialog
 * @csspart list - the list of agents
 * @csspart agent - each agent's button
 * @cssproperty --sb-surface - agent background
 * @cssproperty --sb-border - agent outline
 * @cssproperty --sb-hover - agent background on hover
 * @cssproperty --sb-accent - outline of the agent it is assigned to now
 */
export class SbAssignDialog extends ModalElement {
  static override styles = styles;
  static override properties = {
    session: { attribute: false },
    agents: { state: true },
    query: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  /** The conversation to assign. */
  declare session: ConversationSession;
  declare agents: AgentLoad[] | null;
  declare query: string;
  declare error: ShownError | null;
  declare busy: boolean;

  constructor() {
    super();
    this.agents = null;
    this.query = '';
    this.error = null;
    this.busy = false;
  }

  protected override reset(): void {
    this.error = null;
    this.busy = false;
    this.query = '';
    this.agents = null;
    // Loads change by the minute: fetch them fresh every time the dialog opens.
    api<AgentsResponse>('/v1/agent/agents').then(
      (r) => (this.agents = [...r.agents].sort((a, b) => PRESENCE_ORDER[a.status] - PRESENCE_ORDER[b.status] || a.load / a.maxChats - b.load / b.maxChats || a.name.localeCompare(b.name))),
      (err: unknown) => ((this.error = shownError(err)), (this.agents = [])),
    );
  }

  private async assign(assigneeId: string | null): Promise<void> {
    this.busy = true;
    this.error = await this.session.update({ assigneeId }, false);
    this.busy = false;
    if (!this.error) this.close();
  }

  private visible(): AgentLoad[] {
    const q = this.query.trim().toLowerCase();
    return (this.agents ?? []).filter((a) => !q || a.name.toLowerCase().includes(q));
  }

  private onFilterKey(e: KeyboardEvent): void {
    // Type a few letters and Enter: the first match gets it.
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const first = this.visible()[0];
    if (first) void this.assign(first.id);
  }

  override render() {
    const current = this.session?.state?.assignee?.id ?? null;
    const list = this.visible();
    return html`<dialog part="dialog" aria-labelledby="assign-title" @keydown=${this.trap}>
      <form @submit=${(e: Event) => e.preventDefault()}>
        <h2 id="assign-title">Assign #${this.session?.number ?? ''}</h2>
        <label class="field"
          ><span>Find an agent</span>
          <input type="search" autofocus autocomplete="off" .value=${this.query} @input=${(e: InputEvent) => (this.query = (e.target as HTMLInputElement).value)} @keydown=${this.onFilterKey} />
        </label>
        ${this.agents === null
          ? html`<p class="muted" role="status">Loading agents…</p>`
          : html`<ul part="list" aria-label="Agents">
              ${list.map(
                (a) => html`<li>
                  <button class="agent" part="agent" type="button" ?disabled=${this.busy} aria-current=${a.id === current ? 'true' : 'false'} @click=${() => void this.assign(a.id)}>
                    <span class="name">${a.name}${a.id === this.session.me.id ? ' (me)' : ''}${a.id === current ? html` <span class="muted">— assigned now</span>` : nothing}</span>
                    <span class="badge presence-${a.status}">${a.status}</span>
                    <span class="load ${a.load >= a.maxChats ? 'full' : ''}" title="Open chats / capacity">${a.load}/${a.maxChats}${a.load >= a.maxChats ? ' full' : ''}</span>
                  </button>
                </li>`,
              )}
              ${list.length === 0 ? html`<li class="muted">No agent matches.</li>` : nothing}
            </ul>`}
        ${errorLine(this.error)}
        <div class="actions">
          <button class="btn" type="button" ?disabled=${this.busy || current === null} @click=${() => void this.assign(null)}>Back to the queue</button>
          <button class="btn" type="button" @click=${() => this.close()}>Cancel</button>
        </div>
      </form>
    </dialog>`;
  }
}

/** Register <sb-assign-dialog> once. */
export function defineSbAssignDialog(): void {
  if (!customElements.get('sb-assign-dialog')) customElements.define('sb-assign-dialog', SbAssignDialog);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-assign-dialog': SbAssignDialog;
  }
}
