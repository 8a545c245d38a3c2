// The shared conversation link, driven by a fake socket: hello with the last seq held, the outbox
// draining in order after every welcome, acks, and the seq-ordered merge without duplicates.
import { describe, expect, it } from 'vitest';
import { ConversationLink } from '../../client/conversation-link';
import { memoryStorage } from '../../client/storage';
import type { Message } from '../../protocol';
import { FakeSocket } from './fake-socket';


const msg = (seq: number, text: string, role: 'customer' | 'agent' = 'agent', clientId = `c${seq}`): Message => ({
  id: `m${seq}`, conversationId: 'conv', seq, clientId, author: { role, id: role === 'agent' ? 'a1' : null, name: null }, channel: 'web', text, createdAt: seq,
});
const state = { id: 'conv', number: 1, status: 'open', assignee: null, channels: ['web'], hold: null, queue: null, csat: null, mergedInto: null, lastSeq: 0 };

function link(storage = memoryStorage()) {
  return new ConversationLink({
    ticket: async () => ({ url: 'ws://test', token: 'tok' }),
    isMe: (a) => a.role === 'customer',
    storage,
    outboxKey: 'outbox',
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
}

const opened = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return FakeSocket.all[FakeSocket.all.length - 1]!;
};

describe('ConversationLink', () => {
  it('drains an outbox written before a "reload" in order after welcome, and acks remove items', async () => {
    const storage = memoryStorage();
    const before = link(storage);
    before.send('one');
    before.send('two');
    const l = link(storage);
    expect(l.pending().map((p) => [p.text, p.state])).toEqual([['one', 'sending'], ['two', 'sending']]);
    l.start();
    const ws = await opened();
    expect(ws.sent).toEqual([{ type: 'hello', token: 'tok', lastSeq: 0 }]);
    ws.say({ type: 'welcome', conversation: state, messages: [msg(1, 'hi')], you: { role: 'customer', id: null, name: null, channel: 'web' } });
    expect(l.link).toBe('online');
    const sends = ws.sent.filter((f) => f.type === 'message.send');
    expect(sends.map((f) => f.text)).toEqual(['one', 'two']);
    ws.say({ type: 'message.ack', clientId: sends[0]!.clientId, seq: 2 });
    expect(l.pending().map((p) => [p.text, p.state])).toEqual([['one', 'sent'], ['two', 'sending']]);
    expect(JSON.parse(storage.get('outbox')!).map((i: { text: string }) => i.text)).toEqual(['two']);
    ws.say({ type: 'message.created', message: msg(2, 'one', 'customer', sends[0]!.clientId as string) });
    expect(l.pending().map((p) => p.text)).toEqual(['two']);
    l.stop();
  });

  it('merges by seq: out of order and repeated messages end up once, in order; hello asks after the last', async () => {
    const l = link();
    l.start();
    const ws = await opened();
    ws.say({ type: 'welcome', conversation: state, messages: [msg(1, 'a'), msg(3, 'c')], you: { role: 'customer', id: null, name: null, channel: 'web' } });
    ws.say({ type: 'message.created', message: msg(2, 'b') });
    ws.say({ type: 'message.created', message: msg(3, 'c') });
    l.merge([msg(1, 'a'), msg(4, 'd')]);
    expect(l.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(l.lastSeq()).toBe(4);
    l.stop();
  });

  it('shows who is typing until they stop, and never shows our own typing', async () => {
    const l = link();
    l.start();
    const ws = await opened();
    ws.say({ type: 'welcome', conversation: state, messages: [], you: { role: 'customer', id: null, name: null, channel: 'web' } });
    ws.say({ type: 'typing', author: { role: 'customer', id: null, name: null }, on: true });
    ws.say({ type: 'typing', author: { role: 'agent', id: 'a1', name: 'Anna' }, on: true });
    expect(l.typing.map((a) => a.name)).toEqual(['Anna']);
    ws.say({ type: 'message.created', message: msg(1, 'reply') });
    expect(l.typing).toEqual([]);
    l.stop();
  });
});
