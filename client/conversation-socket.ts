import type { AgentServerFrame, CustomerServerFrame, ServerFrame } from '../protocol';

/** A frame from a conversation socket, including the runtime's keep-alive answer. */
export type IncomingFrame<F extends ServerFrame = ServerFrame> = F | { type: 'pong' };
/** What a customer's socket receives. */
export type CustomerFrame = IncomingFrame<CustomerServerFrame>;
/** What an agent's socket receives. */
export type AgentFrame = IncomingFrame<AgentServerFrame>;

/**
 * Open a conversation's socket and say hello: the one way the widget and the inbox join a
 * conversation. Frames that are not JSON are dropped; `onClose` gets the close code.
 */
export function openConversationSocket(opts: {
  url: string;
  token: string;
  lastSeq: number;
  onFrame: (frame: IncomingFrame) => void;
  onClose: (code: number) => void;
  WebSocketImpl?: typeof WebSocket;
}): WebSocket {
  const ws = new (opts.WebSocketImpl ?? WebSocket)(opts.url);
  ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token: opts.token, lastSeq: opts.lastSeq }));
  ws.onmessage = (e) => {
    let frame: IncomingFrame;
    try {
      frame = JSON.parse(String(e.data)) as IncomingFrame;
    } catch {
      return;
    }
    opts.onFrame(frame);
  };
  ws.onclose = (e) => opts.onClose(e.code);
  return ws;
}
