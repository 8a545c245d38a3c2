// The conversation's state row is rewritten by every message; the tenant's SLA settings, most of
// its size, live in a row of their own, written only when they change, and survive an eviction.
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, OPERATOR, conversationStub, seed, session } from '../../helpers';
import type { ConversationCore } from '../../../worker/conversation/core';

beforeAll(async () => {
  await seed();
});

type Rows = { state: Record<string, unknown>; sla: { calendar: { timezone: string } | null } | null };
const rowsOf = (id: string) =>
  runInDurableObject(conversationStub(id), (_o, st): Rows => {
    const one = (t: string) => st.storage.sql.exec<{ json: string }>(`SELECT json FROM ${t} WHERE one = 1`).toArray()[0]?.json;
    const sla = one('sla_config');
    return { state: JSON.parse(one('state')!) as Record<string, unknown>, sla: sla ? (JSON.parse(sla) as Rows['sla']) : null };
  });
const slaInMemory = (id: string) => runInDurableObject(conversationStub(id), (o) => (o as unknown as { core: ConversationCore }).core.s.slaConfig?.calendar?.timezone ?? null);

describe('the stored state', () => {
  it('keeps the SLA settings out of the state row, in their own, through an eviction', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client } = await Client.join(s.conversationId, s.socketToken);
    expect(await client.say('hello')).toBe(1);
    const rows = await rowsOf(s.conversationId);
    expect(rows.state).not.toHaveProperty('slaConfig');
    expect(rows.sla?.calendar?.timezone).toBe('Europe/Riga');

    await evictDurableObject(conversationStub(s.conversationId), { webSockets: 'close' });
    expect(await slaInMemory(s.conversationId)).toBe('Europe/Riga');
    client.close();
  });

  it("moves an older object's inline SLA settings to their row at its next save", async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client } = await Client.join(s.conversationId, s.socketToken);
    expect(await client.say('before')).toBe(1);
    client.close();
    // A fresh instance with nothing left to save of its own, then the rows rewritten under it.
    await evictDurableObject(conversationStub(s.conversationId), { webSockets: 'close' });
    // As an older object stored it: the settings inside the state, no row of their own.
    await runInDurableObject(conversationStub(s.conversationId), (_o, st) => {
      const sla = st.storage.sql.exec<{ json: string }>('SELECT json FROM sla_config').one().json;
      const state = JSON.parse(st.storage.sql.exec<{ json: string }>('SELECT json FROM state').one().json) as Record<string, unknown>;
      st.storage.sql.exec('UPDATE state SET json = ?', JSON.stringify({ ...state, slaConfig: JSON.parse(sla) }));
      st.storage.sql.exec('DELETE FROM sla_config');
    });
    await evictDurableObject(conversationStub(s.conversationId));
    expect(await slaInMemory(s.conversationId)).toBe('Europe/Riga');

    const again = await session(OPERATOR.key, 'web', { visitorToken: s.visitorToken });
    const { client: back } = await Client.join(again.conversationId, again.socketToken);
    expect(await back.say('after')).toBe(2);
    const rows = await rowsOf(s.conversationId);
    expect(rows.state).not.toHaveProperty('slaConfig');
    expect(rows.sla?.calendar?.timezone).toBe('Europe/Riga');
    back.close();
  });
});
