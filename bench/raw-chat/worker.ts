// The raw Durable Object chat: the least a chat on Durable Objects can do per message, so the
// product's figures come with a ratio. One object per conversation (named by the URL), hibernating
// WebSockets, one SQLite insert and a broadcast per message. No auth, no validation library, no D1,
// no inbox. It speaks just enough of the product's frames (hello → welcome, message.send →
// message.ack + message.created) that the bench drives both with the same client code.
import { DurableObject } from 'cloudflare:workers';

interface Env {
  CHAT: DurableObjectNamespace<RawChat>;
}

/** One conversation: a message table and the sockets of everyone in it. */
export class RawChat extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL)');
    // Keep-alives answered by the runtime, as in the product.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  override async fetch(): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    let frame: { type?: string; clientId?: string; text?: string };
    try {
      frame = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch {
      ws.send('{"type":"error","code":"frame.invalid_json","message":"not JSON"}');
      return;
    }
    if (frame.type === 'hello') {
      ws.send(JSON.stringify({ type: 'welcome', messages: [] }));
      return;
    }
    if (frame.type !== 'message.send' || typeof frame.clientId !== 'string' || typeof frame.text !== 'string') return;
    const createdAt = Date.now();
    const { seq } = this.ctx.storage.sql
      .exec<{ seq: number }>('INSERT INTO messages (client_id, text, created_at) VALUES (?, ?, ?) RETURNING seq', frame.clientId, frame.text, createdAt)
      .one();
    ws.send(JSON.stringify({ type: 'message.ack', clientId: frame.clientId, seq }));
    const created = JSON.stringify({ type: 'message.created', message: { seq, clientId: frame.clientId, text: frame.text, createdAt } });
    for (const s of this.ctx.getWebSockets()) {
      try {
        s.send(created);
      } catch {
        /* closing */
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/health') return new Response('ok');
    const m = url.pathname.match(/^\/c\/([A-Za-z0-9_-]{1,64})$/);
    if (!m || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('not found', { status: 404 });
    return env.CHAT.get(env.CHAT.idFromName(m[1]!)).fetch(request);
  },
} satisfies ExportedHandler<Env>;
