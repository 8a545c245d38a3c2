import type { AgentServerFrame, ClientFrame, CustomerServerFrame, ServerFrame } from '../protocol';

/** A frame from a conversation socket, including the runtime's keep-alive answer. */
export type IncomingFrame<F extends ServerFrame = ServerFrame> = F | { type: 'pong' };
/** What a customer's socket receives. */
export type CustomerFrame = IncomingFrame<CustomerServerFrame>;
/** What an agent's socket receives. */
export type AgentFrame = IncomingFrame<AgentServerFrame>;

/**
 * Open a conversation's socket and say hello with the token and the last seq already held: the
 * one way the widget and the inbox join a conversation. The token never goes in the URL.
 */
export function openConversationSocket(opts: { url: string; token: string; lastSeq: number; WebSocketImpl?: typeof WebSocket }): WebSocket {
  const ws = new (opts.WebSocketImpl ?? WebSocket)(opts.url);
  ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'hello', token: opts.token, lastSeq: opts.lastSeq } satisfies ClientFrame)));
  return ws;
}

/** A frame's JSON, or null for text that is not a frame (dropped, never thrown). */
export function parseFrame<T extends { type: string }>(text: string): T | null {
  try {
    const frame: unknown = JSON.parse(text);
    return typeof frame === 'object' && frame !== null && typeof (frame as { type?: unknown }).type === 'string' ? (frame as T) : null;
  } catch {
    return null;
  }
}
