import { MAX_WATCH, compareQueue, matchesFilter } from '../../protocol';
import type { InboxLiveFrame, QueueCounts, QueueFilter, QueueItem, QueueResponse } from '../../protocol';
import { api, shownError } from './api';
import type { ShownError } from './api';

/** Rows fetched per page; only fetched pages are ever rendered. */
export const PAGE_SIZE = 50;

/** The filters in the order of their tabs, with the words on them. */
export const FILTERS: { id: QueueFilter; label: string }[] = [
  { id: 'unassigned', label: 'Unassigned' },
  { id: 'mine', label: 'Mine' },
  { id: 'on_hold', label: 'On hold' },
  { id: 'escalated', label: 'Escalated' },
  { id: 'open', label: 'All open' },
  { id: 'resolved', label: 'Resolved' },
];

const EMPTY_COUNTS: QueueCounts = { unassigned: 0, mine: 0, on_hold: 0, escalated: 0, open: 0, resolved: 0 };

/**
 * The queue as the agent sees it: the fetched pages of the active filter, the counts of every
 * filter, and live updates from the inbox socket applied in place. Dispatches `change`, and
 * `watch` when the window the agent looks at (see `watched`) should be told to the server.
 */
export class QueueStore extends EventTarget {
  filter: QueueFilter = 'open';
  items: QueueItem[] = [];
  counts: QueueCounts = { ...EMPTY_COUNTS };
  nextCursor: string | null = null;
  loading = false;
  error: ShownError | null = null;
  /** Rows the socket said went overdue, until the next fetch brings the server's word. */
  private overdue = new Set<string>();
  private generation = 0;
  /** The window last asked of the server: how many rows of `filter` come live. */
  watched = { filter: this.filter, limit: PAGE_SIZE };

  constructor(private readonly meId: string) {
    super();
  }

  /** Switch to a filter and fetch its first page. */
  async select(filter: QueueFilter): Promise<void> {
    this.filter = filter;
    this.items = [];
    this.nextCursor = null;
    await this.fetchPage(null);
  }

  /** Fetch the first page again (after a reconnect, live updates may have been missed). */
  reload(): Promise<void> {
    return this.fetchPage(null);
  }

  /** Append the next page, if there is one. */
  async loadMore(): Promise<void> {
    if (this.loading || !this.nextCursor) return;
    await this.fetchPage(this.nextCursor);
  }

  /**
   * The row j / k lands on from the conversation `id`: the next (1) or previous (-1) one, the first
   * or last when `id` is not listed. Past the end it fetches the next page and gives null.
   */
  neighbour(id: string | null | undefined, dir: 1 | -1): QueueItem | null {
    if (this.items.length === 0) return null;
    const at = this.items.findIndex((i) => i.id === id);
    const next = at < 0 ? (dir === 1 ? 0 : this.items.length - 1) : at + dir;
    if (next < this.items.length) return this.items[Math.max(0, next)]!;
    void this.loadMore();
    return null;
  }

  private async fetchPage(cursor: string | null): Promise<void> {
    const gen = ++this.generation;
    this.loading = true;
    this.error = null;
    this.changed();
    const q = new URLSearchParams({ filter: this.filter, limit: String(PAGE_SIZE) });
    if (cursor) q.set('cursor', cursor);
    try {
      const res = await api<QueueResponse>(`/v1/agent/queue?${q}`);
      // A newer request (another filter, a reload) owns the list now.
      if (gen !== this.generation) return;
      if (cursor) {
        const seen = new Set(this.items.map((i) => i.id));
        this.items = [...this.items, ...res.items.filter((i) => !seen.has(i.id))];
      } else {
        this.items = res.items;
        this.overdue.clear();
      }
      this.counts = { ...EMPTY_COUNTS, ...res.counts };
      this.nextCursor = res.nextCursor;
      // The server answers a watch with the whole window, which also covers what changed since this page was read.
      this.watched = { filter: this.filter, limit: Math.min(MAX_WATCH, Math.max(PAGE_SIZE, this.items.length)) };
      this.dispatchEvent(new Event('watch'));
    } catch (err) {
      if (gen !== this.generation) return;
      this.error = shownError(err);
    } finally {
      if (gen === this.generation) {
        this.loading = false;
        this.changed();
      }
    }
  }

  /** Apply a live frame from the inbox socket. */
  apply(frame: InboxLiveFrame): void {
    switch (frame.type) {
      case 'queue.delta':
        // A delta of a window the agent has left (another filter) is stale.
        if (frame.filter !== this.filter) return;
        if (frame.reset) {
          this.items = [...frame.upserts].sort(compareQueue);
          if (frame.upserts.length < this.watched.limit) this.nextCursor = null;
        } else {
          const gone = new Set(frame.removed);
          this.items = this.items.filter((i) => !gone.has(i.id));
          for (const item of frame.upserts) this.upsert(item);
        }
        break;
      case 'queue.counts':
        this.counts = { ...EMPTY_COUNTS, ...frame.counts };
        break;
      case 'reminder':
        this.overdue.add(frame.conversationId);
        break;
      default:
        return;
    }
    this.changed();
  }

  /** Whether the row's hold is overdue, by the server's word or a reminder since. */
  isOverdue(item: QueueItem): boolean {
    return !!item.hold?.overdue || (item.status === 'on_hold' && this.overdue.has(item.id));
  }

  /** The row of a conversation, if it is in the fetched pages. */
  get(id: string): QueueItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  private upsert(item: QueueItem): void {
    const rest = this.items.filter((i) => i.id !== item.id);
    if (!matchesFilter(item, this.filter, this.meId)) {
      this.items = rest;
      return;
    }
    // A row that sorts past the last fetched one belongs to a page not fetched yet; it comes with "load more".
    const last = rest[rest.length - 1];
    if (this.nextCursor && last && compareQueue(item, last) > 0) {
      this.items = rest;
      return;
    }
    const at = rest.findIndex((i) => compareQueue(item, i) < 0);
    if (at < 0) rest.push(item);
    else rest.splice(at, 0, item);
    this.items = rest;
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
