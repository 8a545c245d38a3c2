import { describe, expect, it } from 'vitest';
import { Client, api, seed, session, OPERATOR } from '../helpers';

describe('smoke', () => {
  it('health answers', async () => {
    const res = await api('/health');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('a customer opens a session and sends a message', async () => {
    await seed();
    const s = await session(OPERATOR.key, 'web');
    const { client, welcome } = await Client.join(s.conversationId, s.socketToken);
    expect(welcome.conversation.id).toBe(s.conversationId);
    const seq = await client.say('hello');
    expect(seq).toBe(1);
    client.close();
  });
});
