// E-mail as a channel, in workerd with real D1, Durable Objects, the real mail queue and a real SMTP
// catcher: inbound mail threading, forged tokens, tenant walls, idempotency, agents' answers by mail.
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MVNO, OPERATOR, api, conversationStub, drainToD1, login, seed } from '../../helpers';
import { takeMail } from '../../../worker/mail/inbound';
import { conversationMailToken, conversationMessageId, tokenOfMessageId } from '../../../worker/mail/tokens';
import { sendMail } from '../../../worker/mail/outbound';
import { countSent, findMailThread, putMailSettings } from '../../../worker/db/mail';
import { ApiError } from '../../../worker/errors';
import { caughtMail, deliverInbound, rawMail, uniqueAddress, waitForMail } from './mail-helpers';

const SUPPORT = 'support@northwind.test';
const MVNO_SUPPORT = 'help@volna.test';

beforeAll(async () => {
  await seed();
  // The MVNO has no e-mail in the demo; for the tenant-wall tests it gets an address of its own here.
  await putMailSettings(env.DB, { tenantId: MVNO.id, inboundAddress: MVNO_SUPPORT, fromName: 'Volna', fromAddress: MVNO_SUPPORT, relay: { host: 'smtp.volna.test', port: 587, secure: false, user: 'volna', password: 'relay-secret' } }, Date.now());
});
afterAll(async () => {
  await env.DB.prepare('DELETE FROM mail_settings WHERE tenant_id = ?').bind(MVNO.id).run();
});

async function inbound(to: string, m: Parameters<typeof rawMail>[0]) {
  const raw = rawMail(m);
  const r = await takeMail(env, to, m.from, raw, raw.length);
  if (!r.ok) throw new Error(`mail not taken: ${r.reason}`);
  return r;
}

async function messagesOf(tenantId: string, id: string) {
  const snap = await conversationStub(id).snapshot(tenantId);
  if (!snap.ok) throw new Error(snap.message);
  return snap.value.messages;
}

async function agentAnswer(conversationId: string, clientId: string, text: string) {
  const cookie = await login('anna@northwind.test');
  const res = await api(`/v1/agent/conversations/${conversationId}/messages`, { method: 'POST', cookie, json: { clientId, text }, headers: { origin: 'http://sb.test' } });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { seq: number }).seq;
}

describe('inbound mail', () => {
  it('a new mail becomes a conversation on channel email; the next one from the same address continues it', async () => {
    const from = uniqueAddress();
    const first = await inbound(SUPPORT, { from, to: SUPPORT, subject: 'Internet down', text: 'My internet is down since noon.\n\nOn Mon, 30 Nov 2026, Support wrote:\n> earlier answer\n', name: 'Ann Mail' });
    expect(first.matched).toBe('contact');
    const again = await inbound(SUPPORT, { from: from.toUpperCase(), to: SUPPORT, subject: 'Still down', text: 'Still nothing.' });
    expect(again.conversationId).toBe(first.conversationId);
    const msgs = await messagesOf(OPERATOR.id, first.conversationId);
    // The quoted history is gone; only what the customer wrote this time is the message.
    expect(msgs.map((m) => [m.channel, m.author.role, m.text])).toEqual([
      ['email', 'customer', 'My internet is down since noon.'],
      ['email', 'customer', 'Still nothing.'],
    ]);
    const thread = await findMailThread(env.DB, OPERATOR.id, first.conversationId);
    expect(thread).toMatchObject({ address: from, subject: 'Internet down' });
  });

  it('the same mail delivered twice is one message', async () => {
    const from = uniqueAddress();
    const m = { from, to: SUPPORT, subject: 'Twice', text: 'Only once please', messageId: `<${crypto.randomUUID()}@example.test>` };
    const a = await inbound(SUPPORT, m);
    const b = await inbound(SUPPORT, m);
    expect(b.seq).toBe(a.seq);
    expect((await messagesOf(OPERATOR.id, a.conversationId)).map((x) => x.text)).toEqual(['Only once please']);
  });

  it('an out-of-office reply is not taken as the customer writing', async () => {
    const from = uniqueAddress();
    const raw = rawMail({ from, to: SUPPORT, subject: 'Out of office', text: 'I am away until Monday' }).replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0');
    expect(await takeMail(env, SUPPORT, from, raw, raw.length)).toEqual({ ok: false, reason: 'automatic' });
    expect(await env.DB.prepare("SELECT 1 FROM contact_identities WHERE kind = 'email' AND value = ?").bind(from).first()).toBeNull();
  });

  it('a mail to an address no brand has is rejected and stores nothing', async () => {
    const from = uniqueAddress();
    const before = await env.DB.prepare('SELECT count(*) AS n FROM contacts').first<{ n: number }>();
    const { rejected } = await deliverInbound(from, 'nobody@nowhere.test', rawMail({ from, to: 'nobody@nowhere.test', subject: 'hi', text: 'hello' }));
    expect(rejected).toBe('No such mailbox');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM contacts').first<{ n: number }>()).toEqual(before);
  });

  it('the email() handler takes a mail through Email Routing', async () => {
    const from = uniqueAddress();
    const { rejected } = await deliverInbound(from, SUPPORT, rawMail({ from, to: SUPPORT, subject: 'Via handler', text: 'Hello handler' }));
    expect(rejected).toBeNull();
    const row = await env.DB.prepare("SELECT contact_id FROM contact_identities WHERE tenant_id = ? AND kind = 'email' AND value = ?").bind(OPERATOR.id, from).first();
    expect(row).not.toBeNull();
  });
});

describe('threading and its walls', () => {
  async function threadWithAck() {
    const customer = uniqueAddress();
    const res = await api('/v1/widget/offline-message', { method: 'POST', json: { brand: OPERATOR.key, name: 'Web Customer', email: customer, text: 'Started on the website' }, headers: { origin: 'http://127.0.0.1:8787' } });
    expect(res.status, await res.clone().text()).toBe(201);
    const out = (await res.json()) as { conversationId: string; answerBy: string };
    expect(out.answerBy).toBe('email');
    const [ack] = await waitForMail((m) => m.envelopeTo.includes(customer));
    return { customer, id: out.conversationId, ack: ack! };
  }

  it('a reply to our mail continues the web conversation, by In-Reply-To or by the plus-address', async () => {
    const { customer, id, ack } = await threadWithAck();
    expect(ack.replyTo).toMatch(/^support\+[0-9a-f]{48}@northwind\.test$/);
    expect(tokenOfMessageId(ack.messageId!)).not.toBeNull();
    // Another address replying to the mail: the token, not the sender, names the conversation.
    const byRef = await inbound(SUPPORT, { from: uniqueAddress('forwarded'), to: SUPPORT, subject: `Re: ${ack.subject}`, text: 'Replying by mail', inReplyTo: ack.messageId! });
    expect(byRef).toMatchObject({ conversationId: id, matched: 'token' });
    const byPlus = await inbound(ack.replyTo!, { from: customer, to: ack.replyTo!, subject: 'no headers', text: 'By the plus address' });
    expect(byPlus).toMatchObject({ conversationId: id, matched: 'token' });
    const msgs = await messagesOf(OPERATOR.id, id);
    expect(msgs.map((m) => [m.channel, m.text])).toEqual([
      ['web', 'Started on the website'],
      ['email', 'Replying by mail'],
      ['email', 'By the plus address'],
    ]);
  });

  it('a forged or altered token reaches no one else’s conversation', async () => {
    const { id, ack } = await threadWithAck();
    const token = tokenOfMessageId(ack.messageId!)!;
    const flipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    const attacker = uniqueAddress('attacker');
    const forgedRef = await inbound(SUPPORT, { from: attacker, to: SUPPORT, subject: 'hi', text: 'injected?', inReplyTo: `<${flipped}.ack@northwind.test>` });
    const forgedPlus = await inbound(`support+${flipped}@northwind.test`, { from: attacker, to: `support+${flipped}@northwind.test`, subject: 'hi', text: 'injected again?' });
    // A token for the right conversation id but made with another secret fails the same way.
    const otherSecret = await conversationMailToken('not-the-secret', OPERATOR.id, id);
    const foreign = await inbound(SUPPORT, { from: attacker, to: SUPPORT, subject: 'hi', text: 'and again?', references: conversationMessageId(SUPPORT, otherSecret, 'm1') });
    for (const r of [forgedRef, forgedPlus, foreign]) expect(r).toMatchObject({ matched: 'contact' });
    expect(new Set([forgedRef.conversationId, forgedPlus.conversationId, foreign.conversationId]).has(id)).toBe(false);
    expect((await messagesOf(OPERATOR.id, id)).map((m) => m.text)).toEqual(['Started on the website']);
  });

  it('a valid token of one brand mailed to another brand stays in that other brand', async () => {
    const { id, ack } = await threadWithAck();
    const r = await inbound(MVNO_SUPPORT, { from: uniqueAddress(), to: MVNO_SUPPORT, subject: 'cross', text: 'cross-brand', inReplyTo: ack.messageId! });
    expect(r.matched).toBe('contact');
    expect(r.conversationId).not.toBe(id);
    const row = await env.DB.prepare('SELECT tenant_id FROM conversations WHERE id = ?').bind(r.conversationId).first<{ tenant_id: string }>();
    expect(row?.tenant_id).toBe(MVNO.id);
    expect((await messagesOf(OPERATOR.id, id)).map((m) => m.text)).toEqual(['Started on the website']);
  });
});

describe('outbound mail', () => {
  it('sends one mail per Message-ID, however often it is queued', async () => {
    const to = uniqueAddress();
    const mail = { tenantId: OPERATOR.id, to, subject: 'Once', text: 'only once', messageId: `<once.${crypto.randomUUID()}@northwind.test>` };
    await sendMail(env, mail);
    await sendMail(env, mail);
    const [got] = await waitForMail((m) => m.envelopeTo.includes(to));
    expect(got).toMatchObject({ subject: 'Once', messageId: mail.messageId, from: '"Northwind Support" <support@northwind.test>' });
    // The second copy was taken off the queue without sending: wait for the queue to settle on a sentinel.
    const sentinel = uniqueAddress('sentinel');
    await sendMail(env, { ...mail, to: sentinel, messageId: `<sentinel.${crypto.randomUUID()}@northwind.test>` });
    await waitForMail((m) => m.envelopeTo.includes(sentinel));
    expect((await caughtMail()).filter((m) => m.envelopeTo.includes(to))).toHaveLength(1);
  });

  it('refuses a malformed mail before queueing it: no header injection', async () => {
    const base = { tenantId: OPERATOR.id, to: uniqueAddress(), text: 'x', messageId: '<a@b>' };
    await expect(sendMail(env, { ...base, subject: 'Hi\r\nBcc: victim@example.test' })).rejects.toBeInstanceOf(ApiError);
    await expect(sendMail(env, { ...base, subject: 'ok', messageId: 'no-brackets' })).rejects.toBeInstanceOf(ApiError);
    await expect(sendMail(env, { ...base, subject: 'ok', to: 'not an address' })).rejects.toBeInstanceOf(ApiError);
  });
});

describe('agents answer e-mail conversations', () => {
  it('an answer after a customer mail goes out once, threaded to it, with Reply-To the plus-address', async () => {
    const from = uniqueAddress();
    const customerId = `<${crypto.randomUUID()}@example.test>`;
    const { conversationId } = await inbound(SUPPORT, { from, to: SUPPORT, subject: 'Roaming in Spain', text: 'Roaming does not work', messageId: customerId });
    const clientId = crypto.randomUUID();
    const seq = await agentAnswer(conversationId, clientId, 'I switched roaming on for you.');
    // The same answer resent (a retry of the composer) is the same message and the same mail.
    expect(await agentAnswer(conversationId, clientId, 'I switched roaming on for you.')).toBe(seq);
    await drainToD1(conversationId);
    const [mail] = await waitForMail((m) => m.envelopeTo.includes(from));
    expect(mail).toMatchObject({ subject: 'Re: Roaming in Spain', inReplyTo: customerId, references: customerId });
    expect(mail!.text).toContain('I switched roaming on for you.');
    expect(mail!.replyTo).toMatch(/^support\+[0-9a-f]{48}@northwind\.test$/);
    expect(tokenOfMessageId(mail!.messageId!)).toBe(mail!.replyTo!.slice('support+'.length, 'support+'.length + 48));
    // The projection redelivered (its consumer runs again on the same slices) sends nothing more.
    await drainToD1(conversationId);
    await expect.poll(() => countSent(env.DB, OPERATOR.id, conversationId)).toBe(1);
    expect((await caughtMail()).filter((m) => m.envelopeTo.includes(from))).toHaveLength(1);
  });

  it('a customer who last wrote in the live chat gets the answer in the chat only', async () => {
    const from = uniqueAddress();
    const { conversationId } = await inbound(SUPPORT, { from, to: SUPPORT, subject: 'Mixed', text: 'By mail first' });
    const contact = await env.DB.prepare('SELECT contact_id FROM conversations WHERE id = ?').bind(conversationId).first<{ contact_id: string }>();
    await conversationStub(conversationId).send(OPERATOR.id, { role: 'customer', id: contact!.contact_id, name: null }, 'web', crypto.randomUUID(), 'Now in the chat');
    await agentAnswer(conversationId, crypto.randomUUID(), 'Answer in the chat');
    await drainToD1(conversationId);
    // A later mail answer proves the queue ran past the chat answer.
    await inbound(SUPPORT, { from, to: SUPPORT, subject: 'Mixed', text: 'And by mail again' });
    await agentAnswer(conversationId, crypto.randomUUID(), 'Answer by mail');
    await drainToD1(conversationId);
    const mails = await waitForMail((m) => m.envelopeTo.includes(from));
    expect(mails.map((m) => m.text.split('\n')[0])).toEqual(['Answer by mail']);
    // The thread says which answer went by mail: the object put it on channel email.
    const answers = (await messagesOf(OPERATOR.id, conversationId)).filter((m) => m.author.role === 'agent');
    expect(answers.map((m) => [m.text, m.channel])).toEqual([
      ['Answer in the chat', 'api'],
      ['Answer by mail', 'email'],
    ]);
  });
});

describe('mail that can never be sent', () => {
  it('an answer to a thread whose address is none is skipped, and the projection still writes D1', async () => {
    const from = uniqueAddress();
    const { conversationId } = await inbound(SUPPORT, { from, to: SUPPORT, subject: 'Bad address later', text: 'hello' });
    // As if the address had been damaged: no mail can go there, and nothing else may stall on it.
    await env.DB.prepare("UPDATE mail_threads SET address = 'not an address' WHERE conversation_id = ?").bind(conversationId).run();
    await agentAnswer(conversationId, crypto.randomUUID(), 'Nobody will get this by mail');
    await drainToD1(conversationId);
    const row = await env.DB.prepare("SELECT text FROM messages WHERE conversation_id = ? AND author_role = 'agent'").bind(conversationId).first<{ text: string }>();
    expect(row?.text).toBe('Nobody will get this by mail');
    expect(await countSent(env.DB, OPERATOR.id, conversationId)).toBe(0);
  });
});
