import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { AgentPresence, AgentProfile, PresenceStatus } from '../../protocol';
import { ApiError, api } from '../core/api';
import type { MeResponse } from '../core/api';
import { ConversationSession } from '../core/conversation-session';
import { Drafts, read, write } from '../core/drafts';
import { InboxSocket } from '../core/inbox-socket';
import type { InboxFrame, InboxLink } from '../core/inbox-socket';
import { QueueStore } from '../core/queue-store';
import { FILTER_KEYS, inDialog, isTyping } from '../core/shortcuts';
import { keys } from '../shared/badges';
import type { SbConversation } from '../sb-conversation/sb-conversation';
import type { OpenConversationDetail, SbQueue } from '../sb-queue/sb-queue';
import type { SbShortcutsDialog } from '../sb-shortcuts-dialog/sb-shortcuts-dialog';
import type { SbSupervisor } from '../sb-supervisor/sb-supervisor';
import type { Toast } from '../sb-toasts/sb-toasts';
import { styles } from './sb-inbox.styles';

/** Toasts kept on screen at once; older ones give way. */
const MAX_TOASTS = 5;
/** "Assigned to you" comes many times a shift: it goes by itself; reminders and escalations stay until dismissed. */
const INFO_TOAST_MS = 8_000;

/** What is remembered of the open tabs across a reload. */
interface SavedTabs {
  tabs: OpenConversationDetail[];
  active: string | null;
}

/**
 * The agent inbox: sign-in, presence, the live queue, several conversations open as tabs, the
 * contact card, reminders, keyboard shortcuts, and the supervisor view for supervisors and admins.
 *
 * @cssproperty --sb-accent - buttons, the active tab, focus
 * @cssproperty --sb-bg - page background behind the columns
 * @cssproperty --sb-surface - panels
 * @cssproperty --sb-text - text colour
 * @cssproperty --sb-font - font family
 */
export class SbInbox extends LitElement {
  static override styles = styles;
  static override properties = {
    me: { state: true },
    booting: { state: true },
    notice: { state: true },
    view: { state: true },
    presence: { state: true },
    link: { state: true },
    tabs: { state: true },
    activeId: { state: true },
    toasts: { state: true },
    now: { state: true },
  };

  declare me: AgentProfile | null;
  declare booting: boolean;
  declare notice: string;
  declare view: 'inbox' | 'supervisor';
  declare presence: AgentPresence[];
  declare link: InboxLink;
  declare tabs: OpenConversationDetail[];
  declare activeId: string | null;
  declare toasts: Toast[];
  declare now: number;

  private queue: QueueStore | null = null;
  private socket: InboxSocket | null = null;
  private drafts: Drafts | null = null;
  private readonly sessions = new Map<string, ConversationSession>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private welcomed = false;
  private toastSeq = 0;

  private readonly onKey = (e: KeyboardEvent) => this.shortcut(e);
  private readonly onQueueChange = () => this.requestUpdate();
  private readonly onSessionChange = () => this.requestUpdate();
  private readonly onUnauthorized = () => void this.checkSession();
  private readonly onFrame = (e: Event) => this.frame((e as CustomEvent<InboxFrame>).detail);
  private readonly onLink = () => (this.link = this.socket?.link ?? 'closed');

  constructor() {
    super();
    this.me = null;
    this.booting = true;
    this.notice = '';
    this.view = 'inbox';
    this.presence = [];
    this.link = 'closed';
    this.tabs = [];
    this.activeId = null;
    this.toasts = [];
    this.now = Date.now();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    void this.boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    this.teardown();
  }

  /** Who am I? 401 means the login form. */
  private async boot(): Promise<void> {
    try {
      const { agent } = await api<MeResponse>('/v1/agent/me');
      this.start(agent);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) this.notice = `Could not reach the server (${err instanceof Error ? err.message : String(err)}). Sign in to try again.`;
    } finally {
      this.booting = false;
    }
  }

  private start(agent: AgentProfile): void {
    this.teardown();
    this.me = agent;
    this.notice = '';
    this.view = 'inbox';
    this.drafts = new Drafts(agent.id);
    this.queue = new QueueStore(agent.id);
    this.queue.addEventListener('change', this.onQueueChange);
    // All open, longest waiting first: an agent sees their own chats and the unassigned ones in one list.
    void this.queue.select('open');
    this.socket = new InboxSocket();
    this.socket.addEventListener('frame', this.onFrame);
    this.socket.addEventListener('link', this.onLink);
    this.socket.addEventListener('unauthorized', this.onUnauthorized);
    this.socket.addEventListener('suspect', this.onUnauthorized);
    this.socket.start();
    this.welcomed = false;
    this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    // Reopen what was open before the reload, so the agent's chats (and drafts) are where they were.
    const saved = this.loadTabs();
    for (const t of saved.tabs) this.open(t, false);
    if (saved.active && this.sessions.has(saved.active)) this.activate(saved.active);
    else if (this.tabs[0]) this.activate(this.tabs[0].id);
  }

  private teardown(): void {
    clearInterval(this.ticker);
    this.socket?.stop();
    this.socket = null;
    this.queue?.removeEventListener('change', this.onQueueChange);
    this.queue = null;
    for (const s of this.sessions.values()) {
      s.removeEventListener('change', this.onSessionChange);
      s.removeEventListener('unauthorized', this.onUnauthorized);
      s.stop();
    }
    this.sessions.clear();
    this.tabs = [];
    this.activeId = null;
    this.presence = [];
    this.toasts = [];
  }

  /** Back to the login form, saying why. Drafts stay in storage for next time. */
  private signedOut(notice: string): void {
    this.teardown();
    this.me = null;
    this.notice = notice;
  }

  /** A socket or call was refused: believe it only if /me agrees. */
  private async checkSession(): Promise<void> {
    if (!this.me) return;
    try {
      await api<MeResponse>('/v1/agent/me');
      // Still signed in: the refusal was something else; the socket keeps retrying by itself.
      if (this.socket && this.socket.link === 'closed') this.socket.start();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.signedOut('Your session has ended. Sign in again.');
    }
  }

  private async logout(): Promise<void> {
    await api('/v1/agent/logout', { method: 'POST' }).catch(() => null);
    this.signedOut('You are signed out.');
  }

  private setPresence(status: PresenceStatus): void {
    this.socket?.setPresence(status);
    // Show the choice at once; the server's presence frame confirms it.
    this.presence = this.presence.map((a) => (a.id === this.me?.id ? { ...a, status } : a));
  }

  private myStatus(): PresenceStatus | 'offline' {
    if (this.link !== 'online') return 'offline';
    return this.presence.find((a) => a.id === this.me?.id)?.status ?? this.socket?.wanted ?? 'online';
  }

  // ---- inbox socket frames ----

  private frame(f: InboxFrame): void {
    switch (f.type) {
      case 'inbox.welcome':
        this.presence = f.agents;
        // Anything may have changed while the socket was down: fetch the queue again.
        if (this.welcomed) void this.queue?.reload();
        this.welcomed = true;
        break;
      case 'presence':
        this.presence = f.agents;
        this.supervisor()?.refresh();
        break;
      case 'queue.changed':
      case 'queue.removed':
        this.queue?.apply(f);
        this.supervisor()?.refresh();
        break;
      case 'reminder':
        this.queue?.apply(f);
        this.toast({ kind: 'warn', text: `Hold on #${f.number} is overdue: ${f.note}`, conversationId: f.conversationId, number: f.number });
        this.supervisor()?.refresh();
        break;
      case 'assigned':
        this.toast({ kind: 'info', text: `New conversation #${f.number} assigned to you`, conversationId: f.conversationId, number: f.number });
        break;
      case 'escalated':
        if (this.me?.role === 'supervisor' || this.me?.role === 'admin') {
          this.toast({ kind: 'escalation', text: `#${f.number} escalated by ${f.by.name}: ${f.reason}`, conversationId: f.conversationId, number: f.number });
        }
        this.supervisor()?.refresh();
        break;
      case 'session.ended':
        this.signedOut(f.message || 'Your session has ended. Sign in again.');
        break;
      case 'error':
        break;
    }
  }

  private toast(t: Omit<Toast, 'id'>): void {
    const id = `t${++this.toastSeq}`;
    this.toasts = [...this.toasts, { ...t, id }].slice(-MAX_TOASTS);
    if (t.kind === 'info') setTimeout(() => this.dismissToast(id), INFO_TOAST_MS);
  }

  private dismissToast(id: string): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  // ---- tabs ----

  private tabsKey(): string {
    return `sb-inbox:${this.me?.id ?? ''}:tabs`;
  }

  private loadTabs(): SavedTabs {
    try {
      const saved = JSON.parse(read(this.tabsKey()) ?? 'null') as SavedTabs | null;
      if (saved && Array.isArray(saved.tabs)) return { tabs: saved.tabs.filter((t) => typeof t?.id === 'string'), active: saved.active ?? null };
    } catch {
      /* a corrupt entry is just forgotten */
    }
    return { tabs: [], active: null };
  }

  private saveTabs(): void {
    write(this.tabsKey(), JSON.stringify({ tabs: this.tabs, active: this.activeId } satisfies SavedTabs));
  }

  /** Open a conversation as a tab (or focus its tab). */
  private open(d: OpenConversationDetail, focus = true): void {
    if (!this.me) return;
    if (!this.sessions.has(d.id)) {
      const s = new ConversationSession(d.id, this.me, { number: d.number, brand: d.brand, contactName: d.contactName });
      s.addEventListener('change', this.onSessionChange);
      s.addEventListener('unauthorized', this.onUnauthorized);
      this.sessions.set(d.id, s);
      this.tabs = [...this.tabs, { id: d.id, number: d.number, brand: d.brand, contactName: d.contactName }];
      s.start();
    }
    if (focus) this.activate(d.id);
    else this.saveTabs();
  }

  private activate(id: string): void {
    for (const [sid, s] of this.sessions) {
      s.active = sid === id;
      if (s.active) s.unread = 0;
    }
    this.activeId = id;
    this.view = 'inbox';
    this.saveTabs();
  }

  private closeTab(id: string): void {
    const s = this.sessions.get(id);
    if (s) {
      s.removeEventListener('change', this.onSessionChange);
      s.removeEventListener('unauthorized', this.onUnauthorized);
      s.stop();
      this.sessions.delete(id);
    }
    const at = this.tabs.findIndex((t) => t.id === id);
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.activeId === id) {
      const next = this.tabs[Math.min(at, this.tabs.length - 1)];
      if (next) this.activate(next.id);
      else this.activeId = null;
    }
    this.saveTabs();
  }

  private cycleTab(dir: 1 | -1): void {
    if (this.tabs.length === 0) return;
    const at = this.tabs.findIndex((t) => t.id === this.activeId);
    const next = this.tabs[(at + dir + this.tabs.length) % this.tabs.length]!;
    this.activate(next.id);
  }

  /** j / k: the next or previous row of the queue, opened. */
  private step(dir: 1 | -1): void {
    const q = this.queue;
    if (!q || q.items.length === 0) return;
    const at = q.items.findIndex((i) => i.id === this.activeId);
    const next = at < 0 ? (dir === 1 ? 0 : q.items.length - 1) : at + dir;
    if (next >= q.items.length) {
      void q.loadMore();
      return;
    }
    const item = q.items[Math.max(0, next)]!;
    this.open({ id: item.id, number: item.number, brand: item.brand, contactName: item.contactName });
    void this.updateComplete.then(() => this.renderRoot.querySelector<SbQueue>('sb-queue')?.reveal(item.id));
  }

  // ---- keyboard ----

  private conversation(): SbConversation | null {
    return this.view === 'inbox' ? this.renderRoot.querySelector<SbConversation>('sb-conversation') : null;
  }

  private supervisor(): SbSupervisor | null {
    return this.renderRoot.querySelector<SbSupervisor>('sb-supervisor');
  }

  private shortcut(e: KeyboardEvent): void {
    if (!this.me || e.defaultPrevented || inDialog(e)) return;
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e)) return;
    const conv = this.conversation();
    const run = (fn: () => void) => {
      // The key must not also type itself into the field the action focuses.
      e.preventDefault();
      fn();
    };
    if (e.key === '?') return run(() => void this.renderRoot.querySelector<SbShortcutsDialog>('sb-shortcuts-dialog')?.show());
    if (e.shiftKey) return;
    const digit = Number(e.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= FILTER_KEYS.length) return run(() => ((this.view = 'inbox'), void this.queue?.select(FILTER_KEYS[digit - 1]!)));
    switch (e.key) {
      case 'j':
        return run(() => this.step(1));
      case 'k':
        return run(() => this.step(-1));
      case '[':
        return run(() => this.cycleTab(-1));
      case ']':
        return run(() => this.cycleTab(1));
    }
    if (!conv) return;
    switch (e.key) {
      case 'r':
        return run(() => conv.focusComposer('reply'));
      case 'n':
        return run(() => conv.focusComposer('note'));
      case 'h':
        return run(() => conv.openHold());
      case 'e':
        return run(() => conv.resolve());
      case 'a':
        return run(() => conv.openAssign());
      case 't':
        return run(() => conv.take());
      case 'x':
        return run(() => conv.openEscalate());
    }
  }

  // ---- rendering ----

  private renderTop() {
    const me = this.me!;
    const status = this.myStatus();
    const supervisor = me.role === 'supervisor' || me.role === 'admin';
    return html`<header class="top">
      <p class="logo">Switchboard</p>
      ${supervisor
        ? html`<nav class="views" aria-label="Views">
            <button class="btn" type="button" aria-current=${this.view === 'inbox' ? 'page' : 'false'} @click=${() => (this.view = 'inbox')}>Inbox</button>
            <button class="btn" type="button" aria-current=${this.view === 'supervisor' ? 'page' : 'false'} @click=${() => (this.view = 'supervisor')}>Supervisor</button>
          </nav>`
        : nothing}
      <span class="spacer"></span>
      ${this.link !== 'online' ? html`<span class="link" role="status">${this.link === 'connecting' ? 'Connecting…' : 'Reconnecting… (offline)'}</span>` : nothing}
      <span class="presence" role="group" aria-label="My status">
        <button type="button" aria-pressed=${status === 'online' ? 'true' : 'false'} ?disabled=${this.link !== 'online'} @click=${() => this.setPresence('online')}>
          <span class="dot online" aria-hidden="true"></span>Online
        </button>
        <button type="button" aria-pressed=${status === 'away' ? 'true' : 'false'} ?disabled=${this.link !== 'online'} @click=${() => this.setPresence('away')}>
          <span class="dot away" aria-hidden="true"></span>Away
        </button>
      </span>
      <span class="me"><strong>${me.name}</strong><span class="role">${me.role} · ${me.tenantKey}</span></span>
      <button class="btn" type="button" aria-label="Keyboard shortcuts" @click=${() => void this.renderRoot.querySelector<SbShortcutsDialog>('sb-shortcuts-dialog')?.show()}>${keys('?')}</button>
      <button class="btn" type="button" @click=${() => void this.logout()}>Sign out</button>
    </header>`;
  }

  private renderTabs() {
    if (this.tabs.length === 0) return nothing;
    return html`<nav aria-label="Open conversations">
      <ul class="tabs">
        ${repeat(
          this.tabs,
          (t) => t.id,
          (t) => {
            const s = this.sessions.get(t.id);
            const number = s?.number ?? t.number;
            const name = s?.contactName ?? t.contactName ?? 'Visitor';
            const active = t.id === this.activeId;
            return html`<li class=${active ? 'active' : ''}>
              <button class="label" type="button" aria-current=${active ? 'true' : 'false'} data-tab=${t.id} @click=${() => this.activate(t.id)}>
                <strong>#${number ?? '…'}</strong><span>${name}</span>
                ${s && s.unread > 0 ? html`<span class="unread" aria-label="${s.unread} unread">${s.unread}</span>` : nothing}
              </button>
              <button class="close" type="button" aria-label="Close #${number ?? ''}" @click=${() => this.closeTab(t.id)}>×</button>
            </li>`;
          },
        )}
      </ul>
    </nav>`;
  }

  override render() {
    if (this.booting) return html`<p class="booting muted" role="status">Loading…</p>`;
    if (!this.me) return html`<sb-login .notice=${this.notice} @sb-login=${(e: CustomEvent<{ agent: AgentProfile }>) => this.start(e.detail.agent)}></sb-login>`;
    const active = this.activeId ? (this.sessions.get(this.activeId) ?? null) : null;
    const activeTab = this.tabs.find((t) => t.id === this.activeId);
    return html`${this.renderTop()}
      <div class="columns ${this.view === 'supervisor' ? 'wide' : ''}" @sb-open-conversation=${(e: CustomEvent<OpenConversationDetail>) => this.open(e.detail)}>
        <sb-queue .store=${this.queue!} .now=${this.now} .activeId=${this.activeId}></sb-queue>
        ${this.view === 'supervisor'
          ? html`<sb-supervisor .now=${this.now}></sb-supervisor>`
          : html`<section class="work" aria-label="Conversations">
              ${this.renderTabs()}
              ${active
                ? html`<sb-conversation .session=${active} .drafts=${this.drafts!} .brand=${activeTab?.brand ?? this.queue?.get(active.id)?.brand ?? ''}></sb-conversation>`
                : html`<div class="empty">
                    <p><strong>No conversation open.</strong></p>
                    <p class="muted">Pick one from the queue, or press ${keys('j')} for the longest waiting.</p>
                    <p class="muted">${keys('?')} lists every shortcut.</p>
                  </div>`}
            </section>`}
        ${this.view === 'inbox' ? html`<sb-contact-card .session=${active}></sb-contact-card>` : nothing}
      </div>
      <sb-toasts
        .toasts=${this.toasts}
        @sb-dismiss-toast=${(e: CustomEvent<{ id: string }>) => this.dismissToast(e.detail.id)}
        @sb-open-conversation=${(e: CustomEvent<OpenConversationDetail>) => this.open(e.detail)}
      ></sb-toasts>
      <sb-shortcuts-dialog></sb-shortcuts-dialog>`;
  }
}

/** Register <sb-inbox> once. */
export function defineSbInbox(): void {
  if (!customElements.get('sb-inbox')) customElements.define('sb-inbox', SbInbox);
}
