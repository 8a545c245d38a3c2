// The projection queue's consumer: many conversations per D1 transaction, idempotent under
// redelivery, and a D1 failure retries the messages instead of losing them. Batches are built with
// `createMessageBatch` and handed to the Worker's own `queue` handler, so what the queue would
// decide (ack or retry) is read back with `getQueueResult`.
import { createExecutionContext, createMessageBatch, env, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../../worker/index';
import { wholeSlice } from '../../../worker/conversation/d1-projection';
import { ConversationStore } from '../../../worker/conversation/store';
import type { ProjectionPayload } from '../../../worker/projection/payload';
import { Client, OPERATOR, agentSocketToken, conversationStub, drainToD1, login, seed, session } from '../../helpers';

let agentCookie: string;
beforeAll(async () => {
  await seed();
  agentCookie = await login('anna@northwind.test');
});

/** A conversation with customer and agent messages, an audit event and a note, copied to D1. */
async function busyConversation(n: number): Promise<string> {
  const s = await session(OPERATOR.key, 'web');
  const customer = (await Client.join(s.conversationId, s.socketToken)).client;
  const agent = (await Client.join(s.conversationId, await agentSocketToken(agentCookie, s.conversationId))).client;
  for (let i = 0; i < n; i++) await customer.say(`question ${i} of ${s.conversationId.slice(0, 6)}`);
  await agent.say('looking into it');
  agent.send({ type: 'note.send', clientId: crypto.randomUUID(), text: 'checked the line' });
  await agent.next('note.created');
  customer.close();
  agent.close();
  await drainToD1(s.conversationId);
  return s.conversationId;
}

/** The whole conversation as the object would send it. */
function sliceOf(id: string): Promise<ProjectionPayload> {
  return runInDurableObject(conversationStub(id), (_o, state) => {
    const store = new ConversationStore(state.storage.sql);
    return wholeSlice(store, store.loadState()!, store.lastSeq());
  });
}

/** Everything D1 holds of these conversations, in a stable order. */
async function d1Of(ids: string[]) {
  const q = (sql: string) => env.DB.prepare(sql).bind(JSON.stringify(ids)).all().then((r) => r.results);
  const inIds = 'IN (SELECT value FROM json_each(?))';
  return {
    conversations: await q(`SELECT * FROM conversations WHERE id ${inIds} ORDER BY id`),
    messages: await q(`SELECT * FROM messages WHERE conversation_id ${inIds} ORDER BY conversation_id, seq`),
    events: await q(`SELECT * FROM conversation_events WHERE conversation_id ${inIds} ORDER BY conversation_id, seq`),
    notes: await q(`SELECT * FROM notes WHERE conversation_id ${inIds} ORDER BY conversation_id, seq`),
    fts: await q(`SELECT COUNT(*) AS n FROM messages_search WHERE rowid IN (SELECT rowid FROM messages WHERE conversation_id ${inIds})`),
  };
}

/** Hand a batch to the Worker's queue handler, as the queue would; what it acked and retried. */
async function deliver(payloads: ProjectionPayload[], attempts = 1) {
  const batch = createMessageBatch<ProjectionPayload>('switchboard-projection', payloads.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env);
  return getQueueResult(batch, ctx);
}

describe('the projection consumer', () => {
  it('writes slices of many conversations in one batch, and a redelivered batch changes nothing', async () => {
    // 12 messages each: more rows than one statement may bind (9 messages of 11 columns).
    const ids = [await busyConversation(12), await busyConversation(12), await busyConversation(3)];
    const slices = await Promise.all(ids.map(sliceOf));
    const copied = await d1Of(ids);
    expect(copied.messages).toHaveLength(12 + 1 + 12 + 1 + 3 + 1);
    expect(copied.notes).toHaveLength(3);
    expect(copied.events.length).toBeGreaterThanOrEqual(3);

    // Rebuild from nothing: delete the rows, then one batch across all three conversations.
    for (const table of ['messages', 'notes', 'conversation_events']) {
      await env.DB.prepare(`DELETE FROM ${table} WHERE conversation_id IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(ids)).run();
    }
    const first = await deliver(slices);
    expect(first.retryBatch.retry).toBe(false);
    expect(first.retryMessages).toEqual([]);
    expect(first.explicitAcks.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(await d1Of(ids)).toEqual(copied);

    // The same batch again, twice over in one delivery, and once with an older ticket snapshot.
    const stale = { ...slices[0]!, ticket: { ...slices[0]!.ticket, version: 1, status: 'closed', lastSeq: 0 } };
    const again = await deliver([...slices, ...slices, stale], 2);
    expect(again.retryMessages).toEqual([]);
    expect(again.explicitAcks).toHaveLength(7);
    expect(await d1Of(ids)).toEqual(copied);
    for (const id of ids) expect((await conversationStub(id).reconcile()).ok).toBe(true);
  });

  it('retries every message D1 refused, and a later delivery writes them', async () => {
    const id = await busyConversation(2);
    const other = await busyConversation(1);
    const slices = [await sliceOf(id), await sliceOf(other)];
    await env.DB.prepare('DELETE FROM messages WHERE conversation_id IN (?, ?)').bind(id, other).run();

    await env.DB.exec("CREATE TRIGGER simulated_outage BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'simulated D1 outage'); END;");
    const during = await deliver(slices);
    expect(during.explicitAcks).toEqual([]);
    expect(during.retryMessages.map((r: { msgId: string }) => r.msgId).sort()).toEqual(['m0', 'm1']);
    expect((await conversationStub(id).reconcile()).missing).toEqual([1, 2, 3]);

    await env.DB.exec('DROP TRIGGER simulated_outage');
    const after = await deliver(slices, 2);
    expect(after.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect((await conversationStub(id).reconcile()).ok).toBe(true);
    expect((await conversationStub(other).reconcile()).ok).toBe(true);
  });

  it('a slice D1 refuses does not hold back the others of its batch', async () => {
    const good = await busyConversation(1);
    const goodSlice = await sliceOf(good);
    await env.DB.prepare('DELETE FROM messages WHERE conversation_id = ?').bind(good).run();
    const badSlice = await sliceOf(await busyConversation(1));
    // An assignee D1 has never heard of breaks a foreign key: this slice can never be written as it is.
    badSlice.ticket = { ...badSlice.ticket, assigneeId: 'no-such-agent', version: badSlice.ticket.version + 1 };

    const r = await deliver([badSlice, goodSlice]);
    expect(r.explicitAcks).toEqual(['m1']);
    expect(r.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['m0']);
    expect((await conversationStub(good).reconcile()).ok).toBe(true);
  });

  it('drops the copy of a session deleted while its slice was queued, instead of failing the batch', async () => {
    const kept = await busyConversation(1);
    const keptSlice = await sliceOf(kept);
    await env.DB.prepare('DELETE FROM messages WHERE conversation_id = ?').bind(kept).run();
    const s = await session(OPERATOR.key, 'web');
    const gone = await sliceOf(s.conversationId);
    // What the unused-session cleanup deletes: the row, the visitor identity and the contact.
    await env.DB.batch([
      env.DB.prepare('DELETE FROM conversation_events WHERE conversation_id = ?').bind(s.conversationId),
      env.DB.prepare('DELETE FROM conversations WHERE id = ?').bind(s.conversationId),
      env.DB.prepare('DELETE FROM contact_identities WHERE contact_id = ?').bind(s.contactId),
      env.DB.prepare('DELETE FROM contacts WHERE id = ?').bind(s.contactId),
    ]);
    const r = await deliver([gone, keptSlice]);
    expect(r.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM conversations WHERE id = ?').bind(s.conversationId).first('n')).toBe(0);
    expect((await conversationStub(kept).reconcile()).ok).toBe(true);
  });
});
