/**
 * The permission matrix's probes for the written-complaint routes (kept beside the matrix so its
 * file does not grow): each makes its own complaint of tenant A, in Anna's team (billing), with
 * A_MARKER in the customer's words, so another tenant's answer can be checked for it.
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { ComplaintDetail, ComplaintFiledResponse } from '../../protocol';
import { OPERATOR, api } from '../helpers';
import { A_MARKER, SAME_ORIGIN, freshIp } from './fixtures';
import type { Sessions } from './fixtures';

interface Outcome {
  status: number;
  json: unknown;
  body: string;
  markers?: string[];
}
type Call<C> = (ctx: C, method: string, path: string, json?: unknown, headers?: Record<string, string>) => Promise<Outcome>;
type Probe<C> = { run(ctx: C): Promise<Outcome>; expect?: Record<string, unknown> };

/** A complaint of tenant A in the billing team, with a draft by Anna when `drafted`. */
async function complaintOfA(s: Sessions, drafted = false): Promise<{ id: string; conversationId: string }> {
  const res = await api('/v1/widget/complaints', {
    method: 'POST',
    json: { brand: OPERATOR.key, subject: `${A_MARKER}: billing`, happened: 'Charged twice', wanted: 'A refund', email: 'matrix@example.test' },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const filed = (await res.json()) as ComplaintFiledResponse;
  const row = (await env.DB.prepare('SELECT id FROM complaints WHERE tenant_id = ? AND number = ?').bind(OPERATOR.id, filed.number).first<{ id: string }>())!;
  await env.DB.prepare("UPDATE complaints SET team_id = 'billing' WHERE id = ?").bind(row.id).run();
  if (drafted) expect((await api(`/v1/agent/complaints/${row.id}/draft`, { method: 'PUT', cookie: s.anna, json: { body: 'Refunded' }, headers: SAME_ORIGIN })).status).toBe(200);
  return { id: row.id, conversationId: filed.conversationId };
}

/** The probes, keyed as the route table names the routes. `forbidden`: the matrix's 403 expectation. */
export function complaintProbes<C>(call: Call<C>, sessions: () => Sessions, forbidden: unknown): Record<string, Probe<C>> {
  const onComplaint = (method: string, suffix: string, body?: unknown, drafted = false): Probe<C> => ({
    async run(ctx) {
      const c = await complaintOfA(sessions(), drafted);
      return { ...(await call(ctx, method, `/v1/agent/complaints/${c.id}${suffix}`, body)), markers: [c.id, c.conversationId] };
    },
    // Boris works other teams: the team wall keeps him out of billing's register.
    expect: { agent: forbidden },
  });
  return {
    'POST /v1/widget/complaints': {
      run: (ctx) => call(ctx, 'POST', '/v1/widget/complaints', { brand: OPERATOR.key, subject: 'Slow', happened: 'It is slow', wanted: 'Fix it', email: 'p@example.test' }, { 'cf-connecting-ip': freshIp() }),
    },
    'POST /v1/widget/complaints/prefill': { run: (ctx) => call(ctx, 'POST', '/v1/widget/complaints/prefill', { brand: OPERATOR.key }) },
    'GET /v1/agent/complaints': {
      async run(ctx) {
        const c = await complaintOfA(sessions());
        return { ...(await call(ctx, 'GET', '/v1/agent/complaints?limit=500')), markers: [c.id] };
      },
    },
    'GET /v1/agent/complaints/export.csv': {
      async run(ctx) {
        const c = await complaintOfA(sessions());
        return { ...(await call(ctx, 'GET', '/v1/agent/complaints/export.csv')), markers: [c.id] };
      },
    },
    'GET /v1/agent/complaints/:id': onComplaint('GET', ''),
    'PATCH /v1/agent/complaints/:id': onComplaint('PATCH', '', { status: 'in_review' }),
    'POST /v1/agent/complaints/:id/reveal': onComplaint('POST', '/reveal', { field: 'subject' }),
    'PUT /v1/agent/complaints/:id/draft': onComplaint('PUT', '/draft', { body: 'Our answer' }),
    'POST /v1/agent/complaints/:id/approve': onComplaint('POST', '/approve', undefined, true),
    'GET /v1/letters/:id': {
      // The signed link is the key: whoever holds it reads the letter, with or without a session.
      async run(ctx) {
        const s = sessions();
        const c = await complaintOfA(s, true);
        expect((await api(`/v1/agent/complaints/${c.id}/approve`, { method: 'POST', cookie: s.aSupervisor, headers: SAME_ORIGIN })).status).toBe(200);
        const d = (await (await api(`/v1/agent/complaints/${c.id}`, { cookie: s.aAdmin })).json()) as { complaint: ComplaintDetail };
        return call(ctx, 'GET', d.complaint.letter!.url);
      },
    },
    'GET /v1/admin/complaints/settings': { run: (ctx) => call(ctx, 'GET', '/v1/admin/complaints/settings') },
    'PUT /v1/admin/complaints/settings': {
      async run(ctx) {
        const stored = async (cookie: string | undefined) => api('/v1/admin/complaints/settings', { cookie });
        const before = await (await stored(sessions().aAdmin)).json();
        // Each caller writes back what their own tenant has (an admin of B gets B's), else tenant A's.
        const own = await stored((ctx as { cookie?: string }).cookie);
        const out = await call(ctx, 'PUT', '/v1/admin/complaints/settings', own.ok ? await own.json() : before);
        expect(await (await stored(sessions().aAdmin)).json()).toEqual(before);
        return out;
      },
    },
    'POST /v1/admin/dev/complaint-clock': {
      async run(ctx) {
        const c = await complaintOfA(sessions());
        return { ...(await call(ctx, 'POST', '/v1/admin/dev/complaint-clock', { complaintId: c.id, advanceMs: 0 })), markers: [c.id] };
      },
    },
  };
}
