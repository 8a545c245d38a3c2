// The drain's in-memory timer: a send asked for while one is out must still go, soon — not wait
// for the backstop alarm (30 s later). Found as a projection-lag p99 of ~31 s in the permission matrix.
import { runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, OPERATOR, conversationStub, seed, session } from '../../helpers';
import { Drain } from '../../../worker/conversation/drain';
import type { ConversationCore } from '../../../worker/conversation/core';
import type { ProjectionPayload } from '../../../worker/projection/payload';

beforeAll(async () => {
  await seed();
});

/** A queue that holds its first send until released, and keeps what it was given. */
function heldQueue() {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const sent: ProjectionPayload[] = [];
  const queue = {
    async send(p: ProjectionPayload) {
      sent.push(p);
      if (sent.length === 1) await held;
    },
  } as unknown as Queue<ProjectionPayload>;
  return { queue, sent, release };
}

describe('Drain', () => {
  it('runs a send asked for while another was out as soon as that one is back', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client } = await Client.join(s.conversationId, s.socketToken);
    expect(await client.say('first')).toBe(1);
    client.close();

    await runInDurableObject(conversationStub(s.conversationId), async (instance) => {
      const core = (instance as unknown as { core: ConversationCore }).core;
      const q = heldQueue();
      const drain = new Drain(core, q.queue);
      const first = drain.send(Date.now(), false);
      await vi.waitFor(() => expect(q.sent).toHaveLength(1));
      // A change while the first slice is out: its row is due, and its send is refused for now.
      const seq = core.store.addEvent('drain.probe', { role: 'system', id: null, name: 'System' }, {}, Date.now());
      core.store.enqueue('event', seq);
      expect(await drain.send(Date.now(), false)).toBe(false);
      expect(q.sent).toHaveLength(1);

      q.release();
      await first;
      // The refused send runs on the drain's own timer, well before any alarm.
      await vi.waitFor(() => expect(q.sent).toHaveLength(2), { timeout: 5_000, interval: 10 });
      expect(q.sent[1]!.events.map((e) => e.seq)).toEqual([seq]);
      expect(q.sent[0]!.events.map((e) => e.seq)).not.toContain(seq);
      drain.reset();
    });
  });
});
