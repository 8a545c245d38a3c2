// Delivery promises 1–4 and 6 of DESIGN.md, over real WebSockets into the real Durable Object.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../protocol';
import { Client, OPERATOR, agentSocketToken, conversationStub, drainToD1, login, seed, session } from '../../helpers';
import { BACKSTOP_MS } from '../../../worker/conversation/drain';
import { RESEND_AFTER_MS } from '../../../worker/conversation/d1-projection';
import { DUE_ROWS, LAST_CUSTOMER_MESSAGE } from '../../../worker/conversation/store-schema';

let agentCookie: string;
beforeAll(async () => {
  await seed();
  agentCookie = await login('anna@northwind.test');
});

/** A customer and an agent joined to one fresh conversation. */
async function pair() {
  const s = await session(OPERATOR.key, 'web');
  const customer = (await Client.join(s.conversationId, s.socketToken)).client;
  const agent = (await Client.join(s.conversationId, await agentSocketToken(agentCookie, s.conversationId))).client;
  return { s, customer, agent, stub: conversationStub(s.conversationId) };
}

const seqs = (ms: Message[]) => ms.map((m) => m.seq);

describe('promise 1: an acknowledged message survives', () => {
  it('survives eviction with hibernated sockets, and the socket keeps working after', async () => {
    const { s, customer, agent, stub } = await pair();
    expect(await customer.say('before eviction')).toBe(1);
    await agent.next('message.created');

    await evictDurableObject(stub);
    // The same sockets were hibernated, not closed: they still work and seq continues, not restarts.
    expect(await customer.say('after eviction')).toBe(2);
    const got = await agent.next('message.created');
    expect(got.message).toMatchObject({ seq: 2, text: 'after eviction', author: { role: 'customer' } });

    const fresh = await Client.join(s.conversationId, (await session(OPERATOR.key, 'web', { visitorToken: s.visitorToken })).socketToken);
    expect(fresh.welcome.messages.map((m) => m.text)).toEqual(['before eviction', 'after eviction']);
    for (const c of [customer, agent, fresh.client]) c.close();
  });

  it('survives eviction that closes every socket (a process kill or deploy)', async () => {
    const { s, customer, agent, stub } = await pair();
    for (let i = 1; i <= 5; i++) expect(await customer.say(`m${i}`)).toBe(i);
    await evictDurableObject(stub, { webSockets: 'close' });
    await customer.closedWith();
    const again = await session(OPERATOR.key, 'web', { visitorToken: s.visitorToken });
    const { client, welcome } = await Client.join(again.conversationId, again.socketToken);
    expect(welcome.conversation.lastSeq).toBe(5);
    expect(welcome.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(await client.say('m6')).toBe(6);
    client.close();
    agent.close();
  });
});

describe('promise 2: resending a clientId never stores a second row', () => {
  it('returns the original seq, stores one row and tells nobody twice', async () => {
    const { customer, agent, stub } = await pair();
    const first = await customer.say('only once', 'client-1');
    await customer.say('something else', 'client-2');
    const again = await customer.say('only once (retry)', 'client-1');
    expect(again).toBe(first);
    await evictDurableObject(stub);
    expect(await customer.say('only once (after eviction)', 'client-1')).toBe(first);

    const rows = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE client_id = 'client-1'").one().n);
    expect(rows).toBe(1);
    // The agent saw seq 1 and 2 once each. Sentinel: a new message must be the agent's very next
    // message.created; a repeat of seq 1 from the retries would have been sent before it.
    expect((await agent.next('message.created')).message.seq).toBe(1);
    expect((await agent.next('message.created')).message.seq).toBe(2);
    const sentinel = await customer.say('sentinel');
    expect((await agent.next('message.created')).message).toMatchObject({ seq: sentinel, text: 'sentinel' });
    expect(sentinel).toBe(3);
    customer.close();
    agent.close();
  });
});

describe('promise 3: seq strictly increases without gaps, one order for all', () => {
  it('interleaved senders get gapless seqs and every participant sees the same order', async () => {
    const { customer, agent } = await pair();
    const N = 40;
    const sends: Promise<number>[] = [];
    for (let i = 0; i < N; i++) {
      sends.push(customer.say(`c${i}`));
      sends.push(agent.say(`a${i}`));
    }
    const acked = await Promise.all(sends);
    expect([...acked].sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 1));
    const seenBy = async (c: Client) => {
      const out: number[] = [];
      for (let i = 0; i < 2 * N; i++) out.push((await c.next('message.created')).message.seq);
      return out;
    };
    const [a, b] = await Promise.all([seenBy(customer), seenBy(agent)]);
    expect(a).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 1));
    expect(b).toEqual(a);
    customer.close();
    agent.close();
  });
});

describe('promise 4: hello { lastSeq } replays exactly what was missed, in order, before live', () => {
  it('delivers seq N+1.. once, then live messages', async () => {
    const { s, customer, agent } = await pair();
    for (let i = 1; i <= 10; i++) await customer.say(`m${i}`);
    const token = await agentSocketToken(agentCookie, s.conversationId);
    const late = await Client.open(s.conversationId);
    late.send({ type: 'hello', token, lastSeq: 6 });
    // A live message sent right after the hello must come after the replay, not inside or before it.
    const live = customer.say('live');
    const welcome = await late.next('welcome');
    expect(seqs(welcome.messages)).toEqual([7, 8, 9, 10]);
    await live;
    const next = await late.next('message.created');
    expect(next.message.seq).toBe(11);
    expect(late.frames.filter((f) => f.type === 'message.created')).toEqual([]);

    const upToDate = await Client.join(s.conversationId, token, 11);
    expect(upToDate.welcome.messages).toEqual([]);
    for (const c of [customer, agent, late, upToDate.client]) c.close();
  });
});

describe('promise 6: every change reaches D1 idempotently', () => {
  it('a D1 failure loses nothing: the queue keeps the changes and its retry makes D1 equal the log', async () => {
    const { s, customer, agent, stub } = await pair();
    await customer.say('one');
    await agent.say('two');
    await drainToD1(s.conversationId);
    expect((await stub.reconcile()).ok).toBe(true);

    // A real failure inside D1: every message insert aborts until the trigger is dropped.
    await env.DB.exec("CREATE TRIGGER simulated_outage BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'simulated D1 outage'); END;");
    await customer.say('three');
    agent.send({ type: 'conversation.update', status: 'pending' });
    await agent.next('conversation.updated');
    await customer.say('four');
    // The queue accepted the slice; the object keeps the rows until the consumer confirms D1 has
    // them, so neither a queue that loses the slice nor a D1 that refuses it can lose them.
    await runDurableObjectAlarm(stub);
    const during = await stub.reconcile();
    expect(during.ok).toBe(false);
    expect(during.missing).toEqual([3, 4]);
    expect(during.outbox).toBeGreaterThan(0);
    // The consumer's failed writes roll back whole: not even the ticket moved.
    const before = await env.DB.prepare('SELECT status, last_seq FROM conversations WHERE id = ?').bind(s.conversationId).first();
    expect(before).toEqual({ status: 'open', last_seq: 2 });

    await env.DB.exec('DROP TRIGGER simulated_outage');
    await drainToD1(s.conversationId, 15_000);
    // Written, then confirmed: the object forgets the rows only now.
    await expect.poll(async () => (await stub.reconcile()).outbox, { timeout: 5000 }).toBe(0);
    const after = await stub.reconcile();
    expect(after).toMatchObject({ ok: true, outbox: 0, missing: [], different: [], extra: [] });

    const row = await env.DB.prepare('SELECT status, last_seq, last_message_text FROM conversations WHERE id = ?').bind(s.conversationId).first();
    expect(row).toEqual({ status: 'pending', last_seq: 4, last_message_text: 'four' });
    const events = await env.DB.prepare('SELECT kind FROM conversation_events WHERE conversation_id = ? ORDER BY seq').bind(s.conversationId).all();
    // Anna's reply made the unassigned conversation hers; then she set it pending.
    expect(events.results.map((e) => e.kind)).toEqual(['assignee.changed', 'status.changed']);
    customer.close();
    agent.close();
  });

  it('an unconfirmed slice is sent again after RESEND_AFTER_MS, then twice as late each time; a restart sends it once more at once', async () => {
    const { s, customer, stub } = await pair();
    await customer.say('before');
    await drainToD1(s.conversationId);
    // D1 refuses every message insert, so the consumer never confirms what it is handed.
    await env.DB.exec("CREATE TRIGGER simulated_outage_2 BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'simulated D1 outage'); END;");
    try {
      await customer.say('unconfirmed');
      await runDurableObjectAlarm(stub);
      type Row = { tries: number; wait: number };
      const rows = () => runInDurableObject(stub, (_o, state) => state.storage.sql.exec<Row>('SELECT tries, resend_at - sent_at AS wait FROM outbox WHERE sent_at IS NOT NULL').toArray());
      const alarmAt = () => runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
      const first = await rows();
      expect(first.length).toBeGreaterThan(0);
      expect(first.every((r) => r.tries === 1 && r.wait === RESEND_AFTER_MS)).toBe(true);
      // Not due yet: an alarm now sends nothing again.
      await runDurableObjectAlarm(stub);
      expect((await rows()).every((r) => r.tries === 1)).toBe(true);
      // A restart of the object (the local queue may have died with it) sends a row sent once again
      // at once; a second restart does not: one early copy per row, however often it restarts.
      await evictDurableObject(stub);
      await runDurableObjectAlarm(stub);
      expect(await rows()).toEqual(first.map(() => ({ tries: 2, wait: 2 * RESEND_AFTER_MS })));
      await evictDurableObject(stub);
      await runDurableObjectAlarm(stub);
      expect(await rows()).toEqual(first.map(() => ({ tries: 2, wait: 2 * RESEND_AFTER_MS })));
      // The controlled clock: each time the resend time has passed, the next wait doubles.
      for (const [tries, wait] of [[3, 4 * RESEND_AFTER_MS], [4, 8 * RESEND_AFTER_MS], [5, 16 * RESEND_AFTER_MS]] as const) {
        await runInDurableObject(stub, (_o, state) => state.storage.sql.exec('UPDATE outbox SET resend_at = 0 WHERE sent_at IS NOT NULL'));
        await runDurableObjectAlarm(stub);
        expect(await rows()).toEqual(first.map(() => ({ tries, wait })));
        const next = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec<{ t: number }>('SELECT MIN(resend_at) AS t FROM outbox').one().t);
        expect(await alarmAt()).toBeLessThanOrEqual(next);
      }
    } finally {
      await env.DB.exec('DROP TRIGGER simulated_outage_2');
    }
    await drainToD1(s.conversationId, 15_000);
    await expect.poll(async () => (await stub.reconcile()).outbox, { timeout: 10_000 }).toBe(0);
    customer.close();
  });

  it('an outbox put back after the queue took it is sent again and changes nothing (idempotent on conversation_id, seq)', async () => {
    const { s, customer, stub } = await pair();
    await customer.say('x');
    await customer.say('y');
    await drainToD1(s.conversationId);
    // Put the same rows back in the outbox, as if the object died after the queue accepted the
    // slice but before it could forget them, and send again.
    await runInDurableObject(stub, (_o, state) => {
      state.storage.sql.exec("INSERT INTO outbox (kind, ref) VALUES ('message', 1), ('message', 2), ('state', NULL)");
    });
    await runDurableObjectAlarm(stub);
    await drainToD1(s.conversationId);
    // The consumer wrote the resent slice (changing nothing) and confirmed it: the rows are gone.
    await expect.poll(async () => (await stub.reconcile()).outbox, { timeout: 5000 }).toBe(0);
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?').bind(s.conversationId).first<{ n: number }>();
    expect(n?.n).toBe(2);
    const fts = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages_search WHERE messages_search MATCH 'text_masked : y'").first<{ n: number }>();
    expect(fts?.n).toBeGreaterThanOrEqual(1);
    customer.close();
  });

  it('the drain timer copies a message to D1 without the alarm; the alarm stays set as the backstop', async () => {
    const { s, customer, stub } = await pair();
    // The sockets' hello deadlines set an alarm; once it has run, the one left waits for the session's
    // first slice to be confirmed (its resend time, RESEND_AFTER_MS out).
    await runDurableObjectAlarm(stub);
    const alarmOf = () => runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    const alarm = await alarmOf();
    expect(alarm).toBeGreaterThan(Date.now() + 5000);
    await customer.say('by timer');
    // The message set no alarm for its D1 copy (it used to wake the object 2 s later): the backstop
    // it needs (no later than BACKSTOP_MS) is already covered.
    expect(await alarmOf()).toBe(alarm);
    expect(alarm!).toBeLessThanOrEqual(Date.now() + BACKSTOP_MS);
    const inD1 = () => env.DB.prepare('SELECT text FROM messages WHERE conversation_id = ?').bind(s.conversationId).all().then((r) => r.results.map((x) => x.text));
    await expect.poll(inD1, { timeout: 8000, interval: 100 }).toEqual(['by timer']);
    // The timer did it: the alarm has not fired, it is still the same.
    expect(await alarmOf()).toBe(alarm);
    customer.close();
  });

  it("a confirmation waits for the backstop alarm, with no commit of its own; an eviction before it only sends the slice once more", async () => {
    const { s, customer, stub } = await pair();
    await customer.say('the last word for a while');
    const outboxRows = () => runInDurableObject(stub, (_o, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n);
    const confirmedInMemory = () => runInDurableObject(stub, (o) => (o as unknown as { core: { drain: { confirmed: number[] } } }).core.drain.confirmed.length);
    await vi.waitFor(async () => expect(await confirmedInMemory()).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    // Confirmed, and still in the outbox: the backstop alarm, already set, writes it down.
    expect(await outboxRows()).toBeGreaterThan(0);
    const alarm = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + BACKSTOP_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await outboxRows()).toBe(0);

    // Evicted between the confirmation and the alarm: the rows go once more and D1 stays the same.
    await customer.say('and one more');
    await vi.waitFor(async () => expect(await confirmedInMemory()).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    await evictDurableObject(stub);
    expect(await outboxRows()).toBeGreaterThan(0);
    await drainToD1(s.conversationId);
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(stub);
      expect(await outboxRows()).toBe(0);
    }, { timeout: 10_000, interval: 100 });
    const inD1 = await env.DB.prepare('SELECT seq FROM messages WHERE conversation_id = ? ORDER BY seq').bind(s.conversationId).all();
    expect(inD1.results.map((r) => r.seq)).toEqual([1, 2]);
    expect(await stub.reconcile()).toMatchObject({ ok: true, outbox: 0 });
    customer.close();
  });

  it('a drain timer lost with its instance is caught by the backstop alarm', async () => {
    const { s, customer, stub } = await pair();
    await customer.say('timer lost');
    // Gone before its 2 s timer fired: only the durable alarm knows there is something to send.
    await evictDurableObject(stub);
    expect((await stub.reconcile()).missing).toEqual([1]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await drainToD1(s.conversationId);
    expect(await stub.reconcile()).toMatchObject({ ok: true, missing: [] });
    customer.close();
  });

  it("reads the due rows through the outbox's index, never a scan of every row awaiting confirmation", async () => {
    const { customer, stub } = await pair();
    await customer.say('plan');
    const plan = await runInDurableObject(stub, (_o, state) =>
      state.storage.sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${DUE_ROWS}`, Date.now(), 100).toArray().map((r) => r.detail),
    );
    expect(plan.join(' | ')).toMatch(/^SEARCH outbox USING INDEX outbox_due/);
    expect(plan.join(' | ')).not.toMatch(/SCAN|TEMP B-TREE/);
    customer.close();
  });

  it("finds the customer's latest message backwards from the newest, never sorting the thread", async () => {
    const { customer, stub } = await pair();
    await customer.say('plan');
    const plan = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${LAST_CUSTOMER_MESSAGE}`).toArray().map((r) => r.detail));
    expect(plan.join(' | ')).toMatch(/^SCAN messages$/);
    expect(plan.join(' | ')).not.toMatch(/INDEX|TEMP B-TREE/);
    customer.close();
  });

  it('an outbox of an older object (no indexes, unsent rows without a resend time, two unsent state rows) is upgraded at its next start and drained', async () => {
    const { s, customer, stub } = await pair();
    await customer.say('old one');
    await drainToD1(s.conversationId);
    // The outbox as an object written before the due index kept it: resend_at nullable, no
    // indexes, no trigger queueing messages, and (before one unsent state row stood for all) several unsent state rows.
    await runInDurableObject(stub, (_o, state) => {
      const sql = state.storage.sql;
      sql.exec('DROP TRIGGER message_to_outbox');
      sql.exec('DROP TABLE outbox');
      sql.exec("CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('message', 'event', 'state', 'note')), ref INTEGER, sent_at INTEGER, resend_at INTEGER, tries INTEGER NOT NULL DEFAULT 0)");
      sql.exec("INSERT INTO outbox (kind, ref) VALUES ('message', 1), ('state', NULL), ('state', NULL)");
    });
    await evictDurableObject(stub);
    const shape = await runInDurableObject(stub, (_o, state) => ({
      indexes: state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name LIKE 'outbox_%' ORDER BY name").toArray().map((r) => r.name),
      rows: state.storage.sql.exec<{ kind: string; resend_at: number | null }>('SELECT kind, resend_at FROM outbox ORDER BY id').toArray(),
    }));
    expect(shape).toEqual({ indexes: ['outbox_due', 'outbox_one_unsent_state'], rows: [{ kind: 'message', resend_at: 0 }, { kind: 'state', resend_at: 0 }] });
    // A new message after the upgrade queues its row beside the one unsent state row, not a second one.
    expect(await customer.say('new one')).toBe(2);
    const kinds = await runInDurableObject(stub, (_o, state) => state.storage.sql.exec<{ kind: string }>('SELECT kind FROM outbox ORDER BY id').toArray().map((r) => r.kind));
    expect(kinds).toEqual(['message', 'state', 'message']);
    await runDurableObjectAlarm(stub);
    await drainToD1(s.conversationId);
    await expect.poll(async () => (await stub.reconcile()).outbox, { timeout: 5000 }).toBe(0);
    expect(await stub.reconcile()).toMatchObject({ ok: true, missing: [], extra: [] });
    customer.close();
  });
});
