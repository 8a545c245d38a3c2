import { LitElement, html, nothing } from 'lit';
import type { AgentProfile, PresenceStatus } from '../../protocol';
import { browserStorage } from '../../client/storage';
import type { KeyValue } from '../../client/storage';
import { Drafts } from '../core/drafts';
import type { InboxLink } from '../core/inbox-socket';
import { InboxSockets } from '../core/inbox-sockets';
import { isFilterAction, isSearchChord, shortcutFor } from '../core/keymap';
import type { InboxAction } from '../core/keymap';
import { QueueStore } from '../core/queue-store';
import { TeamWall } from '../core/team-wall';
import { keys } from '../shared/badges';
import type { OpenConversationDetail } from '../sb-queue/sb-queue';
import type { InboxView } from '../sb-top-bar/sb-top-bar';
import { LiveEvents } from './live-events';
import type { LiveEventsHost } from './live-events';
import { OpenTabs } from './open-tabs';
import { SignIn } from './sign-in';
import { styles } from './sb-inbox.styles';

/**
 * The agent inbox: sign-in, presence, the live queue, several conversations open as tabs, the
 * contact card, reminders, keyboard shortcuts, and the supervisor view for supervisors and admins.
 * The parts live beside it: the sign-in lifecycle (sign-in.ts), the open tabs (open-tabs.ts), what
 * the inbox sockets bring (live-events.ts: presence, and each team's queue), the keymap
 * (core/keymap.ts), and the <sb-top-bar> and <sb-tab-strip> components.
 *
 * Its `--sb-*` properties theme every component inside; each of those lists where it uses them.
 *
 * @csspart columns - the queue, conversation and contact columns
 * @csspart empty - what the middle column says while no conversation is open
 * @cssproperty --sb-font - font family
 * @cssproperty --sb-text - text colour
 * @cssproperty --sb-muted - secondary text
 * @cssproperty --sb-bg - page background behind the columns, the thread and the tabs
 * @cssproperty --sb-surface - panels, cards and buttons
 * @cssproperty --sb-hover - rows and buttons under the pointer
 * @cssproperty --sb-border - panel outlines
 * @cssproperty --sb-border-soft - lines between rows
 * @cssproperty --sb-border-strong - outlines of buttons and fields
 * @cssproperty --sb-accent - primary buttons, the active tab and row
 * @cssproperty --sb-accent-strong - primary buttons under the pointer
 * @cssproperty --sb-accent-text - link-style buttons
 * @cssproperty --sb-on-accent - text on the accent
 * @cssproperty --sb-focus - focus ring
 * @cssproperty --sb-bad - destructive buttons
 */
export class SbInbox extends LitElement {
  static override styles = styles;
  static override properties = {
    me: { state: true },
    booting: { state: true },
    notice: { state: true },
    view: { state: true },
    link: { state: true },
    now: { state: true },
  };

  declare me: AgentProfile | null;
  declare booting: boolean;
  declare notice: string;
  declare view: InboxView;
  declare link: InboxLink;
  declare now: number;

  private readonly storage: KeyValue = browserStorage();
  private readonly signIn = new SignIn({ signedIn: (agent) => this.start(agent), signedOut: (notice) => this.signedOut(notice) });
  private queue: QueueStore | null = null;
  private socket: InboxSockets | null = null;
  private wall: TeamWall | null = null;
  private drafts: Drafts | null = null;
  private tabs: OpenTabs | null = null;
  private live: LiveEvents | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;

  private readonly onKey = (e: KeyboardEvent) => this.shortcut(e);
  private readonly onChange = () => this.requestUpdate();
  private readonly onUnauthorized = () => void this.checkSession();
  private readonly onLink = () => (this.link = this.socket?.link ?? 'closed');
  private readonly liveHost: LiveEventsHost = {
    changed: this.onChange,
    supervisorChanged: () => {
      this.renderRoot.querySelector('sb-supervisor')?.refresh();
      // The Reports view's "Today" tiles follow the same frames (throttled there).
      this.renderRoot.querySelector('sb-reports')?.liveChanged();
    },
    sessionEnded: (notice) => this.signedOut(notice),
  };

  constructor() {
    super();
    this.me = null;
    this.booting = true;
    this.notice = '';
    this.view = 'inbox';
    this.link = 'closed';
    this.now = Date.now();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    void this.signIn.boot().finally(() => (this.booting = false));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    this.teardown();
  }

  private start(agent: AgentProfile): void {
    this.teardown();
    this.me = agent;
    this.notice = '';
    this.view = 'inbox';
    this.drafts = new Drafts(agent.id, this.storage);
    this.queue = new QueueStore(agent.id, this.storage);
    this.queue.addEventListener('change', this.onChange);
    // All open, longest waiting first: an agent sees their own chats and the unassigned ones in one list.
    void this.queue.select('open');
    this.socket = new InboxSockets();
    this.wall = new TeamWall();
    this.live = new LiveEvents(agent, this.queue, this.socket, this.wall, this.liveHost);
    this.socket.addEventListener('link', this.onLink);
    this.socket.addEventListener('unauthorized', this.onUnauthorized);
    this.socket.addEventListener('suspect', this.onUnauthorized);
    this.socket.start();
    // A socket per team on the wall opens once the wall is known (LiveEvents keeps them in step).
    void this.wall.load();
    this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    this.tabs = new OpenTabs(agent, this.storage);
    this.tabs.addEventListener('change', this.onChange);
    this.tabs.addEventListener('unauthorized', this.onUnauthorized);
    // Reopen what was open before the reload, so the agent's chats (and drafts) are where they were.
    this.tabs.restore();
  }

  private teardown(): void {
    clearInterval(this.ticker);
    this.socket?.stop();
    this.socket = null;
    this.wall?.stop();
    this.wall = null;
    this.live?.stop();
    this.live = null;
    this.queue?.removeEventListener('change', this.onChange);
    this.queue = null;
    this.tabs?.removeEventListener('change', this.onChange);
    this.tabs?.removeEventListener('unauthorized', this.onUnauthorized);
    this.tabs?.stopAll();
    this.tabs = null;
  }

  /** Back to the login form, saying why. Drafts and outboxes stay in storage for next time. */
  private signedOut(notice: string): void {
    this.teardown();
    this.me = null;
    this.notice = notice;
  }

  /** A socket or call was refused: believe it only if /me agrees. */
  private async checkSession(): Promise<void> {
    if (!this.me) return;
    // Still signed in: the refusal was something else; the socket starts again if it gave up.
    if (await this.signIn.verify()) this.socket?.start();
  }

  private open(d: OpenConversationDetail): void {
    this.tabs?.open(d);
    this.view = 'inbox';
  }

  /** j / k: the next or previous row of the queue, opened. */
  private step(dir: 1 | -1): void {
    const item = this.queue?.neighbour(this.tabs?.activeId, dir);
    if (!item) return;
    this.open({ id: item.id, number: item.number, brand: item.brand, contactName: item.contactName });
    void this.updateComplete.then(() => this.renderRoot.querySelector('sb-queue')?.reveal(item.id));
  }

  // ---- keyboard: one table (core/keymap.ts) says which key means what ----

  private showShortcuts(): void {
    void this.renderRoot.querySelector('sb-shortcuts-dialog')?.show();
  }

  private shortcut(e: KeyboardEvent): void {
    if (!this.me) return;
    // Ctrl+K (⌘K) searches from anywhere, even while typing: the one chord of the inbox.
    if (isSearchChord(e)) {
      e.preventDefault();
      void this.renderRoot.querySelector('sb-search-dialog')?.show();
      return;
    }
    const s = shortcutFor(e);
    if (!s?.action) return;
    const conv = this.view === 'inbox' ? this.renderRoot.querySelector('sb-conversation') : null;
    if (s.needsConversation && !conv) return;
    // The key must not also type itself into the field the action focuses.
    e.preventDefault();
    this.run(s.action, conv);
  }

  private run(action: InboxAction, conv: HTMLElementTagNameMap['sb-conversation'] | null): void {
    if (isFilterAction(action)) {
      this.view = 'inbox';
      void this.queue?.select(action.slice('filter:'.length) as Parameters<QueueStore['select']>[0]);
      return;
    }
    switch (action) {
      case 'help':
        return this.showShortcuts();
      case 'next':
      case 'previous':
        return this.step(action === 'next' ? 1 : -1);
      case 'previous-tab':
      case 'next-tab':
        this.view = 'inbox';
        return this.tabs?.cycle(action === 'next-tab' ? 1 : -1);
      default:
        return conv?.run(action);
    }
  }

  // ---- rendering ----

  override render() {
    if (this.booting) return html`<p class="booting muted" role="status">Loading…</p>`;
    if (!this.me) return html`<sb-login .notice=${this.notice} @sb-login=${(e: CustomEvent<{ agent: AgentProfile }>) => this.start(e.detail.agent)}></sb-login>`;
    const tabs = this.tabs!;
    const active = tabs.active();
    const activeTab = tabs.tabs.find((t) => t.id === tabs.activeId);
    return html`<sb-top-bar
        .me=${this.me}
        .view=${this.view}
        .link=${this.link}
        .status=${this.live?.status(this.link) ?? 'offline'}
        @sb-view=${(e: CustomEvent<{ view: InboxView }>) => (this.view = e.detail.view)}
        @sb-presence=${(e: CustomEvent<{ status: PresenceStatus }>) => this.live?.setPresence(e.detail.status)}
        @sb-show-shortcuts=${() => this.showShortcuts()}
        @sb-sign-out=${() => void this.signIn.logout()}
      ></sb-top-bar>
      <div class="columns ${this.view !== 'inbox' ? 'wide' : ''}" part="columns" @sb-open-conversation=${(e: CustomEvent<OpenConversationDetail>) => this.open(e.detail)}>
        <sb-queue .store=${this.queue!} .now=${this.now} .activeId=${tabs.activeId}></sb-queue>
        ${this.view === 'supervisor'
          ? html`<sb-supervisor .now=${this.now}></sb-supervisor>`
          : this.view === 'complaints'
          ? html`<sb-complaints .me=${this.me}></sb-complaints>`
          : this.view === 'reports'
          ? html`<sb-reports></sb-reports>`
          : html`<section class="work" aria-label="Conversations">
              <sb-tab-strip
                .tabs=${tabs.labels()}
                .activeId=${tabs.activeId}
                @sb-activate-tab=${(e: CustomEvent<{ id: string }>) => tabs.activate(e.detail.id)}
                @sb-close-tab=${(e: CustomEvent<{ id: string }>) => tabs.close(e.detail.id)}
              ></sb-tab-strip>
              ${active
                ? html`<sb-conversation .session=${active} .now=${this.now} .drafts=${this.drafts!} .brand=${activeTab?.brand ?? this.queue?.get(active.id)?.brand ?? ''}></sb-conversation>`
                : html`<div class="empty" part="empty">
                    <p><strong>No conversation open.</strong></p>
                    <p class="muted">Pick one from the queue, or press ${keys('j')} for the longest waiting.</p>
                    <p class="muted">${keys('?')} lists every shortcut.</p>
                  </div>`}
            </section>`}
        ${this.view === 'inbox' ? html`<sb-contact-card .session=${active}></sb-contact-card>` : nothing}
      </div>
      <sb-toasts
        .toasts=${this.live?.toasts ?? []}
        @sb-dismiss-toast=${(e: CustomEvent<{ id: string }>) => this.live?.dismissToast(e.detail.id)}
        @sb-open-conversation=${(e: CustomEvent<OpenConversationDetail>) => this.open(e.detail)}
      ></sb-toasts>
      <sb-shortcuts-dialog></sb-shortcuts-dialog>
      <sb-search-dialog @sb-open-conversation=${(e: CustomEvent<OpenConversationDetail>) => this.open(e.detail)}></sb-search-dialog>`;
  }
}

/** Register <sb-inbox> once. */
export function defineSbInbox(): void {
  if (!customElements.get('sb-inbox')) customElements.define('sb-inbox', SbInbox);
}

declare global {
  interface HTMLElementTagNameMap {
    'sb-inbox': SbInbox;
  }
}
