// The one reconnect loop: a socket the server never welcomes (an upgrade lost under load) is given
// up and retried, instead of hanging for ever; a welcomed socket is left alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket } from '../../client/reconnecting-socket';
import { WELCOME_TIMEOUT_MS } from '../../client/backoff';

/** A socket whose server never answers: it neither opens nor closes unless told. */
class SilentSocket extends EventTarget {
  readyState = 0;
  closedWith: string | null = null;
  send(): void {}
  close(_code?: number, reason = ''): void {
    this.readyState = 3;
    this.closedWith = reason;
  }
}

afterEach(() => vi.useRealTimers());

/** A reconnecting socket over silent sockets; `opened` collects every socket it opens. */
function overSilentSockets(opened: SilentSocket[], onLink: (l: string) => void = () => {}): ReconnectingSocket {
  return new ReconnectingSocket({
    open: async () => {
      const ws = new SilentSocket();
      opened.push(ws);
      return ws as unknown as WebSocket;
    },
    onText: () => {},
    onLink,
  });
}

describe('ReconnectingSocket', () => {
  it('drops a socket that is not welcomed in time and opens another', async () => {
    vi.useFakeTimers();
    const opened: SilentSocket[] = [];
    const links: string[] = [];
    const rs = overSilentSockets(opened, (l) => links.push(l));
    rs.start();
    await vi.advanceTimersByTimeAsync(WELCOME_TIMEOUT_MS - 1);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.closedWith).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(opened[0]!.closedWith).toBe('no welcome');
    expect(rs.link).toBe('reconnecting');
    // The backoff is under a second on the first retry; then a fresh socket is tried.
    await vi.advanceTimersByTimeAsync(1000);
    expect(opened).toHaveLength(2);
    expect(links).toEqual(['connecting', 'reconnecting']);
    rs.stop();
  });

  it('leaves a welcomed socket alone', async () => {
    vi.useFakeTimers();
    const opened: SilentSocket[] = [];
    const rs = overSilentSockets(opened);
    rs.start();
    await vi.advanceTimersByTimeAsync(10);
    rs.up(); // the owner heard the welcome
    await vi.advanceTimersByTimeAsync(WELCOME_TIMEOUT_MS * 3);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.closedWith).toBeNull();
    expect(rs.link).toBe('online');
    rs.stop();
  });
});
