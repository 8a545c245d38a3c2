// A session nobody wrote in leaves nothing behind: after the tenant's quiet period with no socket
// open, its conversation row, its object's storage and an anonymous contact with nothing else are
// deleted by the object's own alarm. Whatever was used — a message, an open widget, a known
// subscriber — is kept. The real alarm fires; the tests poll for it with a deadline.
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../../protocol';
import { Client, OPERATOR, conversationStub, drainToD1, identityToken, seed, session } from '../../helpers';

/** The operator's quiet period in this file: one second, so the real alarm comes soon. */
const TTL_MS = 1000;

beforeAll(async () => {
  await seed();
  await env.DB.prepare('UPDATE tenants SET unused_session_ttl_s = ? WHERE id = ?').bind(TTL_MS / 1000, OPERATOR.id).run();
});

const count = async (sql: string, ...params: unknown[]): Promise<number> => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;
const conversationRows = (id: string) => count('SELECT COUNT(*) AS n FROM conversations WHERE id = ?', id);

/** What the object stores: its tables (besides the runtime's own) and its alarm. */
function objectStorage(id: string) {
  return runInDurableObject(conversationStub(id), async (_o, state) => ({
    tables: state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> 'sqlite_sequence'").toArray().map((r) => r.name),
    alarm: await state.storage.getAlarm(),
  }));
}

/**
 * True once the quiet period since `since` is over and the alarm due then has fired: the object's
 * alarm is the earliest thing it waits for, so none set, or one set for later (the projection's
 * resend check), means the quiet-period look has happened.
 */
async function quietPeriodPassed(id: string, since: number): Promise<boolean> {
  if (Date.now() <= since + TTL_MS) return false;
  const { alarm } = await objectStorage(id);
  return alarm === null || alarm > since + TTL_MS;
}

describe('a session that never wrote', () => {
  it('is deleted with its anonymous contact after the quiet period; the returning visitor simply gets a fresh one', async () => {
    const s = await session(OPERATOR.key, 'web');
    expect(await conversationRows(s.conversationId)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM contacts WHERE id = ?', s.contactId)).toBe(1);

    await expect.poll(() => conversationRows(s.conversationId), { timeout: 8000, interval: 100 }).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM contacts WHERE id = ?', s.contactId)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM contact_identities WHERE contact_id = ?', s.contactId)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM conversation_events WHERE conversation_id = ?', s.conversationId)).toBe(0);
    expect(await objectStorage(s.conversationId)).toEqual({ tables: [], alarm: null });

    // The device comes back with its token: a new contact and a new conversation, which work.
    const again = await session(OPERATOR.key, 'web', { visitorToken: s.visitorToken });
    expect(again.visitorToken).toBe(s.visitorToken);
    expect(again.conversationId).not.toBe(s.conversationId);
    expect(again.contactId).not.toBe(s.contactId);
    const { client } = await Client.join(again.conversationId, again.socketToken);
    await client.say('Now I have a question');
    client.close();
    await drainToD1(again.conversationId);
    expect(await count('SELECT COUNT(*) AS n FROM conversations WHERE id = ? AND opened_at IS NOT NULL', again.conversationId)).toBe(1);
  });

  it('is kept while the widget is open, and deleted once it closes and the quiet period passes', async () => {
    const s: SessionResponse = await session(OPERATOR.key, 'web');
    const { client } = await Client.join(s.conversationId, s.socketToken);
    const opened = Date.now();
    await expect.poll(() => quietPeriodPassed(s.conversationId, opened), { timeout: 8000, interval: 100 }).toBe(true);
    expect(await conversationRows(s.conversationId)).toBe(1);

    client.close();
    await client.closedWith();
    await expect.poll(() => conversationRows(s.conversationId), { timeout: 8000, interval: 100 }).toBe(0);
    expect((await objectStorage(s.conversationId)).tables).toEqual([]);
  });

  it('a conversation with a message is a ticket and is never deleted', async () => {
    const s = await session(OPERATOR.key, 'web');
    const { client } = await Client.join(s.conversationId, s.socketToken);
    await client.say('Hello');
    client.close();
    await client.closedWith();
    const closed = Date.now();
    await expect.poll(() => quietPeriodPassed(s.conversationId, closed), { timeout: 8000, interval: 100 }).toBe(true);
    // The projection queue's consumer writes the last change a moment after the object sent it.
    await drainToD1(s.conversationId);
    expect(await count('SELECT COUNT(*) AS n FROM conversations WHERE id = ? AND opened_at IS NOT NULL', s.conversationId)).toBe(1);
    expect((await conversationStub(s.conversationId).reconcile()).ok).toBe(true);
  });

  it("an identified subscriber's contact is kept; only the unused conversation goes", async () => {
    const token = await identityToken(OPERATOR.identitySecret, 'sub-unused-1', { name: 'Irina' });
    const s = await session(OPERATOR.key, 'app', { identityToken: token });
    await expect.poll(() => conversationRows(s.conversationId), { timeout: 8000, interval: 100 }).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM contacts WHERE id = ?', s.contactId)).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM contact_identities WHERE contact_id = ? AND kind = 'external'", s.contactId)).toBe(1);
    // The same subscriber comes back on another channel: same contact, a fresh conversation.
    const again = await session(OPERATOR.key, 'modem', { identityToken: await identityToken(OPERATOR.identitySecret, 'sub-unused-1', { name: 'Irina' }) });
    expect(again.contactId).toBe(s.contactId);
    expect(again.conversationId).not.toBe(s.conversationId);
  });
});
