// The answer: an agent drafts, a supervisor of the team (or an admin) who is not the author
// approves, and the letter goes out immutable, hashed, behind a signed link bound to its tenant.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SystemLine } from '../../../protocol';
import { letterHash } from '../../../worker/complaints/letter';
import { Client, OPERATOR, api, expectError, login, seed } from '../../helpers';
import { detail, draft, fileFromWidget } from './complaint-helpers';

let anna: string;
let boris: string;
let sam: string;
let otherAdmin: string;
beforeAll(async () => {
  await seed();
  [anna, boris, sam, otherAdmin] = await Promise.all([login('anna@northwind.test'), login('boris@northwind.test'), login('supervisor@northwind.test'), login('admin@volna.test')]);
});

const approve = (cookie: string, id: string) => api(`/v1/agent/complaints/${id}/approve`, { method: 'POST', cookie });

describe('approval', () => {
  it("is refused to agents and to the answer's own author, and allowed to another supervisor of the team", async () => {
    const { id } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    await expectError(await approve(sam, id), 409, 'complaint.no_draft');
    expect((await draft(sam, id, 'We refunded the second charge.')).status).toBe(200);
    await expectError(await approve(sam, id), 403, 'auth.forbidden');
    await expectError(await approve(anna, id), 403, 'auth.forbidden');
    expect((await detail(sam, id)).status).toBe('in_review');
    // Anna rewrites it: now Sam is not the author and approves.
    expect((await draft(anna, id, 'We refunded the second charge, 12.50 EUR.')).status).toBe(200);
    const ok = await approve(sam, id);
    expect(ok.status, await ok.clone().text()).toBe(200);
    const d = await detail(anna, id);
    expect(d).toMatchObject({ status: 'answered', letter: { author: 'Anna', approver: 'Sam Supervisor' } });
    expect(d.answeredAt).toBeGreaterThan(0);
    // Answered is final: no second approval, no new draft.
    await expectError(await approve(sam, id), 409, 'complaint.answered');
    await expectError(await draft(anna, id, 'Another text'), 409, 'complaint.answered');
  });

  it('keeps team and tenant walls: another team gets 403, another tenant 404, on every route', async () => {
    const { id } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    await expectError(await api(`/v1/agent/complaints/${id}`, { cookie: boris }), 403, 'auth.forbidden');
    await expectError(await draft(boris, id, 'x'), 403, 'auth.forbidden');
    await expectError(await api(`/v1/agent/complaints/${id}`, { cookie: otherAdmin }), 404, 'complaint.not_found');
    await expectError(await approve(otherAdmin, id), 404, 'complaint.not_found');
    await expectError(await api(`/v1/agent/complaints/${id}/reveal`, { method: 'POST', cookie: otherAdmin, json: { field: 'happened' } }), 404, 'complaint.not_found');
    const list = async (cookie: string) => ((await (await api('/v1/agent/complaints', { cookie })).json()) as { complaints: { id: string }[] }).complaints.map((c) => c.id);
    expect(await list(anna)).toContain(id);
    expect(await list(boris)).not.toContain(id);
    expect(await list(otherAdmin)).not.toContain(id);
    expect(await (await api('/v1/agent/complaints/export.csv', { cookie: otherAdmin })).text()).not.toContain(id);
  });
});

describe('the letter', () => {
  it('is escaped, hashed in D1, delivered in the chat with its signed link, and served only with a valid signature', async () => {
    const { s, id, filed } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    expect((await draft(anna, id, 'Refunded. <script>alert(1)</script> & thanks')).status).toBe(200);
    const customer = (await Client.join(s.conversationId, s.socketToken)).client;
    expect((await approve(sam, id)).status).toBe(200);
    const line = (await customer.next('system.line', 8000)) as unknown as { line: SystemLine };
    expect(line.line).toMatchObject({ kind: 'complaint_answered', number: filed.number });
    const url = (line.line as { url: string }).url;

    const row = await env.DB.prepare('SELECT id, html, sha256 FROM complaint_letters WHERE complaint_id = ?').bind(id).first<{ id: string; html: string; sha256: string }>();
    expect(row!.sha256).toBe(await letterHash(row!.html));
    expect(row!.sha256).toMatch(/^[0-9a-f]{64}$/);

    const page = await api(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; thanks');
    expect(html).not.toContain('<script>');
    for (const bit of [filed.number, 'Anna', 'Sam Supervisor', 'Received', 'Answer due', 'Answered']) expect(html).toContain(bit);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-letter-sha256')).toBe(row!.sha256);

    const u = new URL(url, 'http://sb.test');
    const sig = u.searchParams.get('sig')!;
    const tampered = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    await expectError(await api(`${u.pathname}?t=${u.searchParams.get('t')}&sig=${tampered}`), 403, 'letter.link_invalid');
    // The same signature does not open the letter under another tenant, nor another letter.
    await expectError(await api(`${u.pathname}?t=0190a000-0000-7000-8000-000000000002&sig=${sig}`), 403, 'letter.link_invalid');
    await expectError(await api(`/v1/letters/00000000-0000-7000-8000-000000000000?t=${u.searchParams.get('t')}&sig=${sig}`), 403, 'letter.link_invalid');
    await expectError(await api(`${u.pathname}`), 403, 'letter.link_invalid');
    customer.close();
  });

  it('cannot be changed or deleted, and a page changed behind the API is refused, not shown', async () => {
    const { id } = await fileFromWidget(OPERATOR.key, { team: 'billing' });
    expect((await draft(anna, id, 'Our answer')).status).toBe(200);
    expect((await approve(sam, id)).status).toBe(200);
    const { letter } = await detail(sam, id);
    await expect(env.DB.prepare('UPDATE complaint_letters SET html = ? WHERE id = ?').bind('<p>forged</p>', letter!.id).run()).rejects.toThrow(/immutable/);
    await expect(env.DB.prepare('DELETE FROM complaint_letters WHERE id = ?').bind(letter!.id).run()).rejects.toThrow(/immutable/);
    // Someone with the database in hand drops the guard and edits the page: the hash no longer fits.
    const original = (await env.DB.prepare('SELECT html FROM complaint_letters WHERE id = ?').bind(letter!.id).first<{ html: string }>())!.html;
    await env.DB.exec('DROP TRIGGER complaint_letters_no_update');
    try {
      await env.DB.prepare('UPDATE complaint_letters SET html = ? WHERE id = ?').bind(original.replace('Our answer', 'Forged answer'), letter!.id).run();
      await expectError(await api(letter!.url), 500, 'letter.corrupt');
      await env.DB.prepare('UPDATE complaint_letters SET html = ? WHERE id = ?').bind(original, letter!.id).run();
    } finally {
      await env.DB.exec("CREATE TRIGGER complaint_letters_no_update BEFORE UPDATE ON complaint_letters BEGIN SELECT RAISE(ABORT, 'complaint letters are immutable'); END;");
    }
    expect((await api(letter!.url)).status).toBe(200);
  });
});
