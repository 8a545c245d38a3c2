// Complaints by e-mail: the mail channel's inbound handler hands a mail that is a complaint to the
// one filing path — by the brand's complaints address, by +complaint, or by its subject's marker.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeMail } from '../../../worker/mail/inbound';
import { api, login, seed } from '../../helpers';

let admin: string;
beforeAll(async () => {
  await seed();
  admin = await login('admin@northwind.test');
  const res = await api('/v1/admin/complaints/settings', { method: 'PUT', cookie: admin, json: { answerDays: 30, complaintsAddress: 'complaints@northwind.test', letterhead: 'Northwind Telecom', senderName: 'Customer Care', closing: 'Kind regards' } });
  expect(res.status).toBe(200);
});

const raw = (from: string, subject: string, id: string, text: string) =>
  `From: Ivan <${from}>\r\nTo: support@northwind.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}@mail.example.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`;

const complaintsOf = (email: string) => env.DB.prepare("SELECT number, subject, happened, channel, email FROM complaints WHERE email = ? AND channel = 'email'").bind(email).all<{ number: string; subject: string; happened: string; channel: string; email: string }>();

describe('a mail that is a complaint', () => {
  it('to the complaints address becomes one complaint, however often it is delivered', async () => {
    const mail = raw('ivan.mail@example.test', 'My bill is wrong', 'c1', 'You charged me twice.');
    const first = await takeMail(env, 'complaints@northwind.test', 'ivan.mail@example.test', mail, mail.length);
    expect(first.ok).toBe(true);
    await takeMail(env, 'complaints@northwind.test', 'ivan.mail@example.test', mail, mail.length);
    const rows = (await complaintsOf('ivan.mail@example.test')).results;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject: 'My bill is wrong', happened: 'You charged me twice.', channel: 'email' });
  });

  it('to the inbound address, by the marker in its subject or by +complaint; a plain mail stays a message', async () => {
    const marked = raw('olga.mail@example.test', 'Complaint: no signal for a week', 'c2', 'No signal at home.');
    expect((await takeMail(env, 'support@northwind.test', 'olga.mail@example.test', marked, marked.length)).ok).toBe(true);
    expect((await complaintsOf('olga.mail@example.test')).results.map((r) => r.subject)).toEqual(['no signal for a week']);
    const plus = raw('petr.mail@example.test', 'Slow internet', 'c3', 'It is slow.');
    expect((await takeMail(env, 'support+complaint@northwind.test', 'petr.mail@example.test', plus, plus.length)).ok).toBe(true);
    expect((await complaintsOf('petr.mail@example.test')).results).toHaveLength(1);
    const plain = raw('mila.mail@example.test', 'A question about roaming', 'c4', 'Does roaming work in Norway?');
    expect((await takeMail(env, 'support@northwind.test', 'mila.mail@example.test', plain, plain.length)).ok).toBe(true);
    expect((await complaintsOf('mila.mail@example.test')).results).toHaveLength(0);
  });
});
