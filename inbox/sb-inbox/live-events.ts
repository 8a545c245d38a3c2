import type { AgentPresence, AgentProfile, PresenceStatus } from '../../protocol';
import type { InboxLink } from '../core/inbox-socket';
import type { InboxSockets, SocketFrame } from '../core/inbox-sockets';
import type { QueueStore } from '../core/queue-store';
import type { TeamWall } from '../core/team-wall';
import type { Toast } from '../sb-toasts/sb-toasts';

/** Toasts kept on screen at once; older ones give way. */
const MAX_TOASTS = 5;
/** "Assigned to you" comes many times a shift: it goes by itself; reminders and escalations stay until dismissed. */
const INFO_TOAST_MS = 8_000;

/** What the live events tell the shell. */
export interface LiveEventsHost {
  /** Presence or the toasts changed. */
  changed(): void;
  /** Something the supervisor view shows has changed. */
  supervisorChanged(): void;
  /** The server ended the session. */
  sessionEnded(notice: string): void;
}

/**
 * What the inbox sockets bring, turned into what the agent sees: presence (and the agent's own
 * choice of it) from the presence socket; from each team's socket its queue changes, and toasts for
 * reminders, assignments and (to supervisors) escalations. Keeps one socket per team on the wall
 * (core/team-wall.ts), and the queue's idea of the wall, in step. One per signed-in session.
 */
export class LiveEvents {
  /** Who is online or away, as the server last said it. */
  agents: AgentPresence[] = [];
  /** The toasts on screen, oldest first. */
  toasts: Toast[] = [];
  private toastSeq = 0;
  private welcomed = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly onFrame = (e: Event) => this.frame((e as CustomEvent<SocketFrame>).detail);
  private readonly onWatch = () => this.socket.watch(this.queue.watched.filter, this.queue.watched.limit);
  private readonly onWall = () => {
    this.queue.setWall(this.wall.teams);
    this.socket.setTeams(this.wall.teams.map((t) => t.id));
  };
  private readonly onDropped = (e: Event) => this.wall.drop((e as CustomEvent<{ team: string }>).detail.team);
  // A team socket that keeps failing may be refused because the agent left the team (the upgrade's
  // 403 reaches the browser as a plain network error): ask for the wall, which closes it if so.
  private readonly onSuspect = (e: Event) => {
    if ((e as CustomEvent<{ team: string | null }>).detail?.team != null) void this.wall.load();
  };

  constructor(
    private readonly me: AgentProfile,
    private readonly queue: QueueStore,
    private readonly socket: InboxSockets,
    private readonly wall: TeamWall,
    private readonly on: LiveEventsHost,
  ) {
    socket.addEventListener('frame', this.onFrame);
    socket.addEventListener('dropped', this.onDropped);
    socket.addEventListener('suspect', this.onSuspect);
    queue.addEventListener('watch', this.onWatch);
    wall.addEventListener('change', this.onWall);
  }

  /** The agent's own presence as the top bar shows it: offline while the link is down. */
  status(link: InboxLink): PresenceStatus | 'offline' {
    if (link !== 'online') return 'offline';
    return this.agents.find((a) => a.id === this.me.id)?.status ?? this.socket.wanted;
  }

  /** Go online or away. */
  setPresence(status: PresenceStatus): void {
    this.socket.setPresence(status);
    // Show the choice at once; the server's presence frame confirms it.
    this.setAgents(this.agents.map((a) => (a.id === this.me.id ? { ...a, status } : a)));
  }

  private frame({ team, frame: f }: SocketFrame): void {
    switch (f.type) {
      case 'inbox.welcome':
        // A team socket's welcome needs nothing: it sends its watch, and the team answers with its whole window.
        if (team !== null) break;
        this.setAgents(f.agents);
        // Teams may have been joined or left while the presence socket was down.
        if (this.welcomed) void this.wall.load();
        this.welcomed = true;
        break;
      case 'presence':
        // Who is online is the presence socket's word; a team's view of it may be partial.
        if (team !== null) break;
        this.setAgents(f.agents);
        this.on.supervisorChanged();
        break;
      case 'queue.delta':
      case 'queue.counts':
        this.queue.apply(f);
        this.on.supervisorChanged();
        break;
      case 'reminder':
        this.queue.apply(f);
        this.toast({ kind: 'warn', text: `Hold on #${f.number} is overdue: ${f.note}`, conversationId: f.conversationId, number: f.number });
        this.on.supervisorChanged();
        break;
      case 'assigned':
        this.toast({ kind: 'info', text: `New conversation #${f.number} assigned to you`, conversationId: f.conversationId, number: f.number });
        break;
      case 'escalated':
        if (this.me.role === 'supervisor' || this.me.role === 'admin') {
          this.toast({ kind: 'escalation', text: `#${f.number} escalated by ${f.by.name}: ${f.reason}`, conversationId: f.conversationId, number: f.number });
        }
        this.on.supervisorChanged();
        break;
      case 'session.ended':
        this.on.sessionEnded(f.message || 'Your session has ended. Sign in again.');
        break;
      case 'error':
        break;
    }
  }

  /** Take a toast off the screen. */
  dismissToast(id: string): void {
    this.setToasts(this.toasts.filter((t) => t.id !== id));
  }

  /** Sign-out: no frame reaches this session any more, nor a toast timer. */
  stop(): void {
    this.socket.removeEventListener('frame', this.onFrame);
    this.socket.removeEventListener('dropped', this.onDropped);
    this.socket.removeEventListener('suspect', this.onSuspect);
    this.queue.removeEventListener('watch', this.onWatch);
    this.wall.removeEventListener('change', this.onWall);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private toast(t: Omit<Toast, 'id'>): void {
    // A conversation moving between teams may be told on both team sockets: one toast is enough.
    if (this.toasts.some((o) => o.conversationId === t.conversationId && o.text === t.text)) return;
    const id = `t${++this.toastSeq}`;
    this.setToasts([...this.toasts, { ...t, id }].slice(-MAX_TOASTS));
    if (t.kind !== 'info') return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dismissToast(id);
    }, INFO_TOAST_MS);
    this.timers.add(timer);
  }

  private setToasts(toasts: Toast[]): void {
    this.toasts = toasts;
    this.on.changed();
  }

  private setAgents(agents: AgentPresence[]): void {
    this.agents = agents;
    this.on.changed();
  }
}
