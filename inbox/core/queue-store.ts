import { MAX_WATCH, matchesFilter } from '../../protocol';
import type { InboxLiveFrame, QueueCounts, QueueFilter, QueueItem, QueueResponse, TeamView } from '../../protocol';
import type { KeyValue } from '../../client/storage';
import { api, shownError } from './api';
import type { ShownError } from './api';
import { saveTeamChoice, savedTeamChoice } from './team-choice';
import { EMPTY_COUNTS, TeamMerge } from './team-merge';

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

/**
 * The queue as the agent sees it: the active filter of one team or of every team on their wall,
 * its fetched pages, the counts of every filter, and live updates from the team sockets merged in
 * place (core/team-merge.ts). Dispatches `change`, and `watch` when the window the agent looks at
 * (see `watched`) should be told to the server.
 */
export class QueueStore extends EventTarget {
  filter: QueueFilter = 'open';
  /** The team shown: one team's id, or null for every team on the wall. */
  team: string | null;
  /** The teams on the agent's wall; null until the server has said. */
  wall: TeamView[] | null = null;
  items: QueueItem[] = [];
  counts: QueueCounts = { ...EMPTY_COUNTS };
  nextCursor: string | null = null;
  loading = false;
  error: ShownError | null = null;
  /** The window last asked of every team socket: how many rows of `filter` come live. */
  watched = { filter: this.filter, limit: PAGE_SIZE };
  /** Rows the socket said went overdue, until the next fetch brings the server's word. */
  private overdue = new Set<string>();
  private generation = 0;
  private readonly merge = new TeamMerge();
  /** The counts of the last REST page, shown until every team shown has told its own. */
  private pageCounts: QueueCounts = { ...EMPTY_COUNTS };
  /** How many rows of the merged view are shown: as many as the fetched pages held. */
  private shown = PAGE_SIZE;
  /** Rows held past `shown`. */
  private hidden = 0;
  /** Teams whose last whole window held fewer rows than watched: all of the filter is here. */
  private readonly complete = new Set<string>();

  constructor(
    private readonly meId: string,
    private readonly storage: KeyValue,
  ) {
    super();
    this.team = savedTeamChoice(storage, meId);
  }

  /** Switch to a filter and fetch its first page. */
  async select(filter: QueueFilter): Promise<void> {
    this.filter = filter;
    // Held rows are of the old filter; counts cover every filter and stay.
    this.merge.clearRows();
    this.complete.clear();
    this.nextCursor = null;
    this.shown = PAGE_SIZE;
    this.recompute();
    await this.fetchPage(null);
  }

  /** Show one team (its id) or every team on the wall (null), remembered on this device. */
  async selectTeam(team: string | null): Promise<void> {
    if (team === this.team) return;
    this.team = team;
    saveTeamChoice(this.storage, this.meId, team);
    // What the team sockets already told shows at once; the page brings the cursor for "load more".
    this.nextCursor = null;
    this.shown = PAGE_SIZE;
    this.recompute();
    this.changed();
    await this.fetchPage(null);
  }

  /** The teams on the agent's wall, now or again: rows of teams no longer on it go. */
  setWall(teams: TeamView[]): void {
    this.wall = teams;
    const ids = new Set(teams.map((t) => t.id));
    for (const team of this.merge.teams()) if (!ids.has(team)) this.merge.dropTeam(team);
    if (this.team !== null && !ids.has(this.team)) {
      // The team picked is gone from the wall: show every team instead.
      void this.selectTeam(null);
      return;
    }
    this.recompute();
    this.changed();
  }

  /** Fetch the first page again (after a reconnect, live updates may have been missed). */
  reload(): Promise<void> {
    return this.fetchPage(null);
  }

  /**
   * Whether there is more to show: another page, or rows that came live since the last page was
   * read (then the window grows without a page).
   */
  get more(): boolean {
    if (this.nextCursor) return true;
    if (this.items.length < this.shown || this.shown >= MAX_WATCH) return false;
    return this.hidden > 0 || this.items.length < this.counts[this.filter];
  }

  /** Append the next page, if there is one. */
  async loadMore(): Promise<void> {
    if (this.loading || !this.more) return;
    if (this.nextCursor) return this.fetchPage(this.nextCursor);
    // No page to ask for: the team sockets bring the longer window (every team's first rows).
    this.shown = Math.min(MAX_WATCH, this.shown + PAGE_SIZE);
    this.watch();
    this.recompute();
    this.changed();
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

  /** Whether the rows shown come from more than one team (then each row names its team). */
  get showsManyTeams(): boolean {
    if (this.team !== null) return false;
    if (this.wall) return this.wall.length > 1;
    return new Set(this.items.map((i) => i.team)).size > 1;
  }

  /** A team's name, as the wall says it. */
  teamName(id: string): string {
    return this.wall?.find((t) => t.id === id)?.name ?? id;
  }

  private async fetchPage(cursor: string | null): Promise<void> {
    const gen = ++this.generation;
    this.loading = true;
    this.error = null;
    this.changed();
    const q = new URLSearchParams({ filter: this.filter, limit: String(PAGE_SIZE) });
    if (this.team !== null) q.set('team', this.team);
    if (cursor) q.set('cursor', cursor);
    try {
      const res = await api<QueueResponse>(`/v1/agent/queue?${q}`);
      // A newer request (another filter or team, a reload) owns the list now.
      if (gen !== this.generation) return;
      if (cursor) {
        const seen = new Set(this.items.map((i) => i.id));
        this.shown = this.items.length + res.items.filter((i) => !seen.has(i.id)).length;
      } else {
        // The page is the server's word on the teams it covers; what the sockets told before may be older.
        this.clearShownTeams();
        this.overdue.clear();
        this.shown = PAGE_SIZE;
      }
      this.merge.seed(res.items);
      this.shown = Math.max(PAGE_SIZE, this.shown);
      this.pageCounts = { ...EMPTY_COUNTS, ...res.counts };
      this.nextCursor = res.nextCursor;
      this.recompute();
      // Every team answers a watch with its whole window, which also covers what changed since this page was read.
      this.watch();
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

  /** Apply a live frame from a team socket (or a reminder from any). */
  apply(frame: InboxLiveFrame): void {
    switch (frame.type) {
      case 'queue.delta': {
        // A delta of a window the agent has left (another filter), or of a team gone from the wall, is stale.
        if (frame.filter !== this.filter || !this.onWall(frame.team)) return;
        // A row that no longer matches the filter (e.g. "mine" after a hand-over) leaves it.
        const keep = frame.upserts.filter((i) => matchesFilter(i, this.filter, this.meId));
        if (frame.reset) {
          this.merge.reset(frame.team, keep);
          if (frame.upserts.length < this.watched.limit) this.complete.add(frame.team);
          else this.complete.delete(frame.team);
          // Every team shown fits its window: there is no page left to fetch.
          if (this.shownTeams()?.every((t) => this.complete.has(t))) this.nextCursor = null;
        } else {
          const left = frame.upserts.filter((i) => !keep.includes(i)).map((i) => i.id);
          this.merge.apply(frame.team, keep, [...frame.removed, ...left]);
        }
        break;
      }
      case 'queue.counts':
        if (!this.onWall(frame.team)) return;
        this.merge.setCounts(frame.team, frame.counts);
        break;
      case 'reminder':
        this.overdue.add(frame.conversationId);
        break;
      default:
        return;
    }
    this.recompute();
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

  /** The teams the view shows, when known: the one picked, or the whole wall. */
  private shownTeams(): string[] | null {
    if (this.team !== null) return [this.team];
    return this.wall?.map((t) => t.id) ?? null;
  }

  private onWall(team: string): boolean {
    return !this.wall || this.wall.some((t) => t.id === team);
  }

  private clearShownTeams(): void {
    if (this.team === null) this.merge.clearRows();
    else this.merge.reset(this.team, []);
  }

  /** Rows and counts as shown, from what the pages and the team sockets told. */
  private recompute(): void {
    const view = this.merge.view(this.team === null ? null : [this.team], this.shown);
    this.items = view.items;
    this.hidden = view.hidden;
    const teams = this.shownTeams();
    this.counts = (teams && this.merge.sumCounts(teams)) ?? this.pageCounts;
  }

  private watch(): void {
    this.watched = { filter: this.filter, limit: Math.min(MAX_WATCH, this.shown) };
    this.dispatchEvent(new Event('watch'));
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
