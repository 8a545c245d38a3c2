import type { AgentProfile } from '../../protocol';
import type { KeyValue } from '../../client/storage';
import { ConversationSession } from '../core/conversation-session';
import type { OpenConversationDetail } from '../sb-queue/sb-queue';
import type { TabLabel } from '../sb-tab-strip/sb-tab-strip';

/** What is remembered of the open tabs across a reload. */
interface SavedTabs {
  tabs: OpenConversationDetail[];
  active: string | null;
}

/**
 * The conversations an agent has open as tabs: one live session each, which one is in front,
 * and the list saved per agent so a reload brings the same tabs (and their drafts) back.
 * Dispatches `change` when anything shown changed, and `unauthorized` when a session died.
 */
export class OpenTabs extends EventTarget {
  tabs: OpenConversationDetail[] = [];
  activeId: string | null = null;
  private readonly sessions = new Map<string, ConversationSession>();
  private readonly onChange = () => this.changed();
  private readonly onUnauthorized = () => this.dispatchEvent(new Event('unauthorized'));

  constructor(
    private readonly me: AgentProfile,
    private readonly storage: KeyValue,
  ) {
    super();
  }

  private key(): string {
    return `sb-inbox:${this.me.id}:tabs`;
  }

  /** Reopen what was open before the reload, in front what was in front. */
  restore(): void {
    const saved = this.load();
    for (const t of saved.tabs) this.open(t, false);
    if (saved.active && this.sessions.has(saved.active)) this.activate(saved.active);
    else if (this.tabs[0]) this.activate(this.tabs[0].id);
  }

  /** The session of a tab. */
  session(id: string): ConversationSession | undefined {
    return this.sessions.get(id);
  }

  /** The tabs as the strip shows them: what the live session knows, else what the queue row said. */
  labels(): TabLabel[] {
    return this.tabs.map((t) => {
      const s = this.sessions.get(t.id);
      return { id: t.id, number: s?.number ?? t.number ?? null, name: s?.contactName ?? t.contactName ?? 'Visitor', unread: s?.unread ?? 0 };
    });
  }

  /** The session in front, if any. */
  active(): ConversationSession | null {
    return this.activeId ? (this.sessions.get(this.activeId) ?? null) : null;
  }

  /** Open a conversation as a tab (or find its tab), and bring it to the front unless `focus` is false. */
  open(d: OpenConversationDetail, focus = true): void {
    if (!this.sessions.has(d.id)) {
      const s = new ConversationSession(d.id, this.me, this.storage, { number: d.number, brand: d.brand, contactName: d.contactName });
      s.addEventListener('change', this.onChange);
      s.addEventListener('unauthorized', this.onUnauthorized);
      this.sessions.set(d.id, s);
      this.tabs = [...this.tabs, { id: d.id, number: d.number, brand: d.brand, contactName: d.contactName }];
      s.start();
    }
    if (focus) this.activate(d.id);
    else this.save();
    this.changed();
  }

  /** Bring a tab to the front; its unread count starts over. */
  activate(id: string): void {
    for (const [sid, s] of this.sessions) {
      s.active = sid === id;
      if (s.active) s.unread = 0;
    }
    this.activeId = id;
    this.save();
    this.changed();
  }

  /** Close a tab; the neighbour comes to the front. */
  close(id: string): void {
    const s = this.sessions.get(id);
    if (s) this.drop(s);
    const at = this.tabs.findIndex((t) => t.id === id);
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.activeId === id) {
      const next = this.tabs[Math.min(at, this.tabs.length - 1)];
      if (next) return this.activate(next.id);
      this.activeId = null;
    }
    this.save();
    this.changed();
  }

  /** The next (1) or previous (-1) tab, round the end. */
  cycle(dir: 1 | -1): void {
    if (this.tabs.length === 0) return;
    const at = this.tabs.findIndex((t) => t.id === this.activeId);
    this.activate(this.tabs[(at + dir + this.tabs.length) % this.tabs.length]!.id);
  }

  /** Stop every session (sign-out); the saved list stays for next time. */
  stopAll(): void {
    for (const s of this.sessions.values()) this.drop(s);
    this.sessions.clear();
  }

  private drop(s: ConversationSession): void {
    s.removeEventListener('change', this.onChange);
    s.removeEventListener('unauthorized', this.onUnauthorized);
    s.stop();
    this.sessions.delete(s.id);
  }

  private load(): SavedTabs {
    try {
      const saved = JSON.parse(this.storage.get(this.key()) ?? 'null') as SavedTabs | null;
      if (saved && Array.isArray(saved.tabs)) return { tabs: saved.tabs.filter((t) => typeof t?.id === 'string'), active: saved.active ?? null };
    } catch {
      /* a corrupt entry is just forgotten */
    }
    return { tabs: [], active: null };
  }

  private save(): void {
    this.storage.set(this.key(), JSON.stringify({ tabs: this.tabs, active: this.activeId } satisfies SavedTabs));
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
