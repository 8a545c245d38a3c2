import { matchesFilter, queueSortKey } from '../../protocol';
import type { InboxLiveFrame, QueueCounts, QueueItem } from '../../protocol';
import type { QueuePosition, QueueStore } from './queue-store';
import { sendAll } from './presence';
import type { InboxAttachment, Presence, Watch } from './presence';

/** What a socket was last told of its watched window: the first `limit` rows of its filter, in order. */
interface Window {
  /** Sockets told the same window share one frame for the same change. */
  gen: number;
  order: string[];
  ids: Set<string>;
  /** The last row, when the window is full: a row sorting after it does not enter. */
  edge: QueuePosition | null;
}

/** Windows depend only on the view: the filter, the agent for `mine`, and the limit. */
function viewKey(agentId: string, w: Watch): string {
  return `${w.filter}|${w.filter === 'mine' ? agentId : ''}|${w.limit}`;
}

/**
 * Live queue rows to the agents who see them. Each socket watches one window (a filter and how many
 * rows it has loaded); on every tick it gets one `queue.delta` with only the rows that entered,
 * changed within or left that window, or nothing, and one `queue.counts` only when its counts changed.
 */
export class Fanout {
  /** By socket id (the attachment's `sock`): kept in memory, rebuilt from the table on a start. */
  private readonly windows = new Map<string, Window>();
  /** The counts frame last sent to each socket. */
  private readonly counted = new Map<string, string>();
  private gen = 0;

  constructor(
    private readonly queue: QueueStore,
    private readonly roster: Presence,
    /** The team this queue is, named on every frame so the inbox can merge its teams. */
    private readonly team: () => string,
  ) {
    // After hibernation or eviction the table is what every socket was last told: the object only
    // sleeps once its last tick has gone out, and is woken by a call before it changes a row.
    const views = new Map<string, Window>();
    for (const { att } of roster.all()) {
      if (!att.sock || !att.watch) continue;
      const key = viewKey(att.id, att.watch);
      let win = views.get(key);
      if (!win) views.set(key, (win = this.read(att.id, att.watch)));
      this.windows.set(att.sock, win);
    }
  }

  /** A socket says what it looks at: answer with its whole window (`reset`) and its counts. */
  watch(ws: WebSocket, watch: Watch): void {
    const att = this.roster.setWatch(ws, watch);
    if (!att?.sock) return;
    const win = this.read(att.id, watch);
    this.windows.set(att.sock, win);
    const upserts = win.order.map((id) => this.queue.get(id)).filter((i): i is QueueItem => i !== null);
    sendAll([ws], { type: 'queue.delta', team: this.team(), filter: watch.filter, reset: true, upserts, removed: [] });
    this.counted.delete(att.sock);
    this.sendCounts(ws, att, { ...this.queue.counts(), mine: this.queue.mineOf(att.id) });
  }

  /** The socket is gone: forget what it was told. */
  forget(att: InboxAttachment): void {
    if (!att.sock) return;
    this.windows.delete(att.sock);
    this.counted.delete(att.sock);
  }

  /** One tick: the rows changed since the last one, to the sockets whose window they touch. */
  tick(dirty: string[]): void {
    if (dirty.length === 0) return;
    const rows = new Map<string, QueueItem | null>(dirty.map((id) => [id, this.queue.get(id)]));
    const fresh = new Map<string, Window>();
    const texts = new Map<string, string | null>();
    const shared = this.queue.counts();
    for (const { ws, att } of this.roster.all()) {
      if (!att.sock) continue;
      const old = att.watch && this.windows.get(att.sock);
      if (att.watch && old && touched(old, att.id, att.watch, rows)) {
        const key = viewKey(att.id, att.watch);
        let now = fresh.get(key);
        if (!now) fresh.set(key, (now = this.read(att.id, att.watch)));
        const textKey = `${key}#${old.gen}`;
        let text = texts.get(textKey);
        if (text === undefined) texts.set(textKey, (text = this.delta(att.watch, old, now, rows)));
        if (text !== null) send(ws, text);
        this.windows.set(att.sock, now);
      }
      this.sendCounts(ws, att, { ...shared, mine: this.queue.mineOf(att.id) });
    }
  }

  /** The frame that takes a socket from `old` to `now`, or null when nothing it sees changed. */
  private delta(watch: Watch, old: Window, now: Window, rows: Map<string, QueueItem | null>): string | null {
    const upserts: QueueItem[] = [];
    for (const id of now.order) {
      if (old.ids.has(id) && !rows.has(id)) continue;
      const item = rows.get(id) ?? this.queue.get(id);
      if (item) upserts.push(item);
    }
    const removed = old.order.filter((id) => !now.ids.has(id));
    if (upserts.length === 0 && removed.length === 0) return null;
    const frame: InboxLiveFrame = { type: 'queue.delta', team: this.team(), filter: watch.filter, upserts, removed };
    return JSON.stringify(frame);
  }

  private sendCounts(ws: WebSocket, att: InboxAttachment, counts: QueueCounts): void {
    if (!att.sock) return;
    const frame: InboxLiveFrame = { type: 'queue.counts', team: this.team(), counts };
    const text = JSON.stringify(frame);
    if (this.counted.get(att.sock) === text) return;
    this.counted.set(att.sock, text);
    send(ws, text);
  }

  private read(agentId: string, watch: Watch): Window {
    const order = this.queue.window(watch.filter, agentId, watch.limit);
    return { gen: ++this.gen, order: order.map((p) => p.id), ids: new Set(order.map((p) => p.id)), edge: order.length >= watch.limit ? order[order.length - 1]! : null };
  }
}

/** Whether any changed row was in the window, or now belongs in it: otherwise the window is as it was. */
function touched(win: Window, agentId: string, watch: Watch, rows: Map<string, QueueItem | null>): boolean {
  for (const [id, item] of rows) {
    if (win.ids.has(id)) return true;
    if (!item || !matchesFilter(item, watch.filter, agentId)) continue;
    if (!win.edge) return true;
    const key = queueSortKey(item);
    if (key < win.edge.key || (key === win.edge.key && id < win.edge.id)) return true;
  }
  return false;
}

/** Send text already serialised; a socket closed under us is not an error. */
function send(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    /* closed under us: its close handler cleans up */
  }
}
