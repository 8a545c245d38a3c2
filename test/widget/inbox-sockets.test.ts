// The inbox's sockets: one for presence and one per team on the wall. Presence goes to every socket,
// and again after each (re)connect when the agent is away; each team socket is told the watched
// window after its welcome; a team socket refused with 4403 is dropped, never retried.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InboxSockets } from '../../inbox/core/inbox-sockets';
import type { SocketFrame } from '../../inbox/core/inbox-sockets';

/** A WebSocket stand-in: the test plays the server (welcome, frames, close). */
class FakeSocket extends EventTarget {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  constructor(readonly path: string) {
    super();
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  say(frame: object): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(frame) }));
  }
  welcome(): void {
    this.readyState = 1;
    this.say({ type: 'inbox.welcome', you: { id: 'me', name: 'Me', role: 'agent' }, agents: [] });
  }
  closeWith(code: number): void {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

const PRESENCE = '/v1/agent/inbox/socket';
const teamPath = (team: string) => `${PRESENCE}?team=${team}`;

function sockets() {
  const opened: FakeSocket[] = [];
  const s = new InboxSockets((path) => {
    const ws = new FakeSocket(path);
    opened.push(ws);
    return ws as unknown as WebSocket;
  });
  /** The last socket opened at `path`. */
  const at = (path: string) => opened.filter((o) => o.path === path).at(-1)!;
  return { s, opened, at };
}

/** Let the sockets' async open() settle. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

afterEach(() => vi.useRealTimers());

describe('InboxSockets', () => {
  it("opens one socket per team; after each team's welcome it restores away and the watched window", async () => {
    const { s, opened, at } = sockets();
    s.start();
    s.watch('unassigned', 50);
    s.setPresence('away');
    s.setTeams(['billing', 'roaming']);
    await settle();
    expect(opened.map((o) => o.path)).toEqual([PRESENCE, teamPath('billing'), teamPath('roaming')]);

    at(PRESENCE).welcome();
    at(teamPath('billing')).welcome();
    expect(at(PRESENCE).sent).toEqual([{ type: 'presence.set', status: 'away' }]);
    expect(at(teamPath('billing')).sent).toEqual([
      { type: 'presence.set', status: 'away' },
      { type: 'queue.watch', filter: 'unassigned', limit: 50 },
    ]);
    // Not welcomed yet: nothing reached it; it is told once it is.
    expect(at(teamPath('roaming')).sent).toEqual([]);
    expect(s.link).toBe('connecting');
    at(teamPath('roaming')).welcome();
    expect(s.link).toBe('online');

    s.setPresence('online');
    s.watch('open', 80);
    for (const path of [PRESENCE, teamPath('billing'), teamPath('roaming')]) expect(at(path).sent).toContainEqual({ type: 'presence.set', status: 'online' });
    expect(at(PRESENCE).sent.some((f) => f.type === 'queue.watch')).toBe(false);
    expect(at(teamPath('roaming')).sent.at(-1)).toEqual({ type: 'queue.watch', filter: 'open', limit: 80 });

    // Online again: a team socket that reconnects is only told the window (the server starts it online).
    s.setTeams(['billing', 'roaming', 'modem']);
    await settle();
    at(teamPath('modem')).welcome();
    expect(at(teamPath('modem')).sent).toEqual([{ type: 'queue.watch', filter: 'open', limit: 80 }]);
    // A team gone from the wall: its socket closes and its late frames are not passed on.
    const frames: SocketFrame[] = [];
    s.addEventListener('frame', (e) => frames.push((e as CustomEvent<SocketFrame>).detail));
    const billing = at(teamPath('billing'));
    s.setTeams(['roaming', 'modem']);
    expect(billing.readyState).toBe(3);
    billing.say({ type: 'queue.counts', team: 'billing', counts: {} });
    at(teamPath('roaming')).say({ type: 'assigned', conversationId: 'c1', number: 7 });
    expect(frames).toEqual([{ team: 'roaming', frame: { type: 'assigned', conversationId: 'c1', number: 7 } }]);
    s.stop();
  });

  it('a team socket refused with 4403 is dropped and never retried; another one closed by the network comes back away', async () => {
    vi.useFakeTimers();
    const { s, opened, at } = sockets();
    const dropped: string[] = [];
    s.addEventListener('dropped', (e) => dropped.push((e as CustomEvent<{ team: string }>).detail.team));
    s.start();
    s.setTeams(['billing', 'roaming']);
    await settle();
    for (const o of opened) o.welcome();
    s.setPresence('away');

    at(teamPath('billing')).closeWith(4403);
    at(teamPath('roaming')).closeWith(1006);
    expect(dropped).toEqual(['billing']);
    expect(s.teams).toEqual(['roaming']);
    // The first retry comes within 625 ms (500 ms with at most 25% jitter).
    await vi.advanceTimersByTimeAsync(1_000);
    expect(opened.filter((o) => o.path === teamPath('roaming'))).toHaveLength(2);
    at(teamPath('roaming')).welcome();
    expect(at(teamPath('roaming')).sent[0]).toEqual({ type: 'presence.set', status: 'away' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(opened.filter((o) => o.path === teamPath('billing'))).toHaveLength(1);
    expect(s.link).toBe('online');
    s.stop();
  });

  it('the presence socket refused with 4403 means the session, not a team', async () => {
    const { s, at } = sockets();
    const events: string[] = [];
    for (const type of ['dropped', 'unauthorized']) s.addEventListener(type, () => events.push(type));
    s.start();
    await settle();
    at(PRESENCE).closeWith(4403);
    expect(events).toEqual(['unauthorized']);
    s.stop();
  });
});
