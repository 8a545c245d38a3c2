// The pre-chat topic: when the widget offers it, and how a pick reaches the server — at once when
// online, otherwise after the next welcome and ahead of every queued message, never once the
// conversation has begun.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatConnection } from '../../widget/core/connection';
import { PrechatChoice, offerTopics } from '../../widget/core/prechat';
import { memoryStorage } from '../../client/storage';
import type { KeyValue } from '../../client/storage';
import type { Message, SessionResponse } from '../../protocol';
import { FakeSocket } from './fake-socket';

const TOPICS = [
  { key: 'billing', label: 'Billing' },
  { key: 'roaming', label: 'Roaming' },
];

describe('offerTopics', () => {
  it('offers a brand with topics a welcomed conversation with nothing written and no refusal', () => {
    expect(offerTopics(TOPICS, true, 0, false)).toBe(true);
  });
  it('offers nothing for a brand without topics, before the welcome, once anything is written, or after too_late', () => {
    expect(offerTopics([], true, 0, false)).toBe(false);
    expect(offerTopics(undefined, true, 0, false)).toBe(false);
    expect(offerTopics(TOPICS, false, 0, false)).toBe(false);
    expect(offerTopics(TOPICS, true, 1, false)).toBe(false);
    expect(offerTopics(TOPICS, true, 0, true)).toBe(false);
  });
});

describe('PrechatChoice', () => {
  it('keeps the pick per conversation across a "reload", and forgets it once there are messages', () => {
    const store = memoryStorage();
    new PrechatChoice(store, 'k').pick('conv-1', 'billing');
    const again = new PrechatChoice(store, 'k');
    expect(again.picked('conv-1')).toBe('billing');
    expect(again.picked('conv-2')).toBeNull();
    expect(again.picked(null)).toBeNull();
    expect(again.lead('conv-1', false)).toEqual([{ type: 'prechat', topic: 'billing' }]);
    expect(again.lead('conv-2', false)).toEqual([]);
    expect(again.lead('conv-1', true)).toEqual([]);
    expect(again.picked('conv-1')).toBeNull();
    expect(store.get('k')).toBeNull();
  });

  it('a refusal closes the choice for that conversation only, and sends nothing more', () => {
    const c = new PrechatChoice(memoryStorage(), 'k');
    c.pick('conv-1', 'roaming');
    c.close('conv-1');
    expect(c.closed('conv-1')).toBe(true);
    expect(c.closed('conv-2')).toBe(false);
    expect(c.picked('conv-1')).toBeNull();
    expect(c.lead('conv-1', false)).toEqual([]);
  });

  it('ignores what it cannot read', () => {
    const store = memoryStorage();
    store.set('k', '{not json');
    expect(new PrechatChoice(store, 'k').picked('conv-1')).toBeNull();
    store.set('k', JSON.stringify({ c: 'conv-1', k: 42 }));
    expect(new PrechatChoice(store, 'k').picked('conv-1')).toBeNull();
  });
});


const session: SessionResponse = { visitorToken: 'visitor-token-0123456789', contactId: 'contact', conversationId: 'conv', socketToken: 'tok', socketUrl: 'ws://test', expiresAt: Date.now() + 3_600_000 };
const fetchImpl = (async () => ({ ok: true, json: async () => session })) as unknown as typeof fetch;
const state = { id: 'conv', number: 1, status: 'open', assignee: null, channels: ['web'], hold: null, queue: null, csat: null, mergedInto: null, lastSeq: 0 };
const you = { role: 'customer', id: null, name: null, channel: 'web' };
const agentMessage: Message = { id: 'm1', conversationId: 'conv', seq: 1, clientId: 'a1', author: { role: 'agent', id: 'a1', name: 'Anna' }, channel: 'web', text: 'Hi', createdAt: 1 };

function connection(storage: KeyValue = memoryStorage()): ChatConnection {
  return new ChatConnection({ base: 'http://test', brand: 'operator', channel: 'web', storage, fetchImpl, WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
}

/** Let the session fetch and the socket's open run. */
async function settle(): Promise<FakeSocket> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return FakeSocket.all[FakeSocket.all.length - 1]!;
}

/** What the server was sent after hello, as `type:detail` for easy ordering checks. */
const sentAfterHello = (ws: FakeSocket) => ws.sent.filter((f) => f.type !== 'hello').map((f) => `${f.type}:${f.topic ?? f.text ?? ''}`);

describe('ChatConnection and the pre-chat topic', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    // The connection watches the browser's online/offline events; Node has no window to watch.
    vi.stubGlobal('addEventListener', () => {});
    vi.stubGlobal('removeEventListener', () => {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('a pick made online goes at once, before the message written after it', async () => {
    const c = connection();
    c.start();
    const ws = await settle();
    ws.say({ type: 'welcome', conversation: state, messages: [], you });
    c.chooseTopic('billing');
    expect(c.topic).toBe('billing');
    c.send('My bill is wrong');
    expect(sentAfterHello(ws)).toEqual(['prechat:billing', 'message.send:My bill is wrong']);
    c.stop();
  });

  it('a pick made while the socket is down goes after the next welcome, ahead of messages queued meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const storage = memoryStorage();
    const c = connection(storage);
    c.start();
    const first = await settle();
    first.say({ type: 'welcome', conversation: state, messages: [], you });
    first.drop();
    expect(c.link).toBe('reconnecting');
    c.chooseTopic('roaming');
    c.send('Roaming does not work in Spain');
    expect(sentAfterHello(first)).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    const second = await settle();
    expect(second).not.toBe(first);
    second.say({ type: 'welcome', conversation: state, messages: [], you });
    expect(sentAfterHello(second)).toEqual(['prechat:roaming', 'message.send:Roaming does not work in Spain']);
    c.stop();
  });

  it('survives a reload, and is not sent into a conversation that already has messages', async () => {
    const storage = memoryStorage();
    const before = connection(storage);
    before.start();
    const ws = await settle();
    ws.say({ type: 'welcome', conversation: state, messages: [], you });
    ws.drop();
    before.chooseTopic('billing');
    before.stop();

    const reloaded = connection(storage);
    reloaded.start();
    const again = await settle();
    expect(reloaded.topic).toBe('billing');
    again.say({ type: 'welcome', conversation: state, messages: [], you });
    expect(sentAfterHello(again)).toEqual(['prechat:billing']);
    reloaded.stop();

    // Meanwhile an agent wrote: the pick has nothing left to route and is dropped.
    const late = connection(storage);
    late.start();
    const third = await settle();
    third.say({ type: 'welcome', conversation: { ...state, lastSeq: 1 }, messages: [agentMessage], you });
    expect(sentAfterHello(third)).toEqual([]);
    expect(late.topic).toBeNull();
    late.stop();
  });

  it('prechat.too_late closes the choice for this conversation', async () => {
    const c = connection();
    c.start();
    const ws = await settle();
    ws.say({ type: 'welcome', conversation: state, messages: [], you });
    c.chooseTopic('billing');
    let changes = 0;
    c.addEventListener('change', () => changes++);
    ws.say({ type: 'error', code: 'prechat.too_late', message: 'The topic is picked before the first message' });
    expect(c.topicClosed).toBe(true);
    expect(changes).toBeGreaterThan(0);
    c.stop();
  });
});
