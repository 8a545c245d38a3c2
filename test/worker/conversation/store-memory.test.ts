// The store keeps the newest messages and the customer's latest one in memory, so the drain's
// slices and an agent's answer channel need no statement of their own. What memory answers must be
// exactly what SQLite answers: a second store on the same storage starts with nothing in memory.
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, conversationStub, seed, session } from '../../helpers';
import { ConversationStore } from '../../../worker/conversation/store';
import type { Message } from '../../../protocol';

beforeAll(async () => {
  await seed();
});

const msg = (seq: number, role: 'customer' | 'agent', channel: Message['channel'], extra: Partial<Message> = {}): Message => ({
  id: `m-${seq}`, conversationId: 'c-1', seq, clientId: `k-${seq}`, author: { role, id: role === 'agent' ? 'a-1' : null, name: role === 'agent' ? 'Ann' : null }, channel, text: `text ${seq}`, createdAt: 1_000 + seq, ...extra,
});

describe('the store in memory', () => {
  it('answers from memory what SQLite answers, attachments left out as SQLite leaves them', async () => {
    const s = await session(OPERATOR.key, 'web');
    const out = await runInDurableObject(conversationStub(s.conversationId), (_o, st) => {
      st.storage.sql.exec('DELETE FROM messages');
      const store = new ConversationStore(st.storage.sql);
      const before = store.lastCustomerMessage();
      store.insertMessage(msg(1, 'customer', 'email'));
      store.insertMessage(msg(2, 'agent', 'web', { attachments: [{ id: 'f-1', name: 'a.png', type: 'image/png', size: 3 } as never] }));
      store.insertMessage(msg(3, 'customer', 'app'));
      const cold = new ConversationStore(st.storage.sql);
      return {
        before,
        warm: { bySeq: store.messagesBySeq('c-1', [3, 1, 2]), last: store.lastCustomerMessage() },
        cold: { bySeq: cold.messagesBySeq('c-1', [3, 1, 2]), last: cold.lastCustomerMessage() },
      };
    });
    expect(out.before).toBeNull();
    expect(out.warm.bySeq.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(out.warm.bySeq[1]).not.toHaveProperty('attachments');
    expect(out.warm).toEqual(out.cold);
    expect(out.warm.last).toEqual({ channel: 'app', clientId: 'k-3' });
  });

  it('reads from SQLite what memory no longer holds', async () => {
    const s = await session(OPERATOR.key, 'web');
    const seqs = await runInDurableObject(conversationStub(s.conversationId), (_o, st) => {
      st.storage.sql.exec('DELETE FROM messages');
      const store = new ConversationStore(st.storage.sql);
      for (let seq = 1; seq <= 300; seq++) store.insertMessage(msg(seq, seq % 2 ? 'customer' : 'agent', 'web'));
      return store.messagesBySeq('c-1', [1, 150, 300]).map((m) => [m.seq, m.text]);
    });
    expect(seqs).toEqual([[1, 'text 1'], [150, 'text 150'], [300, 'text 300']]);
  });
});
