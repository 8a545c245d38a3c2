import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { ComplaintDetail, ComplaintFiledResponse, SessionResponse } from '../../../protocol';
import { api, session } from '../../helpers';

/** What a customer types into the form. */
export const WORDS = { subject: 'Double charge for roaming', happened: 'I was charged twice in March; call me on +371 2912 3456.', wanted: 'Refund the second charge' };

/** A customer opens the widget and files a complaint from it; `team` then places it (the test's own row). */
export async function fileFromWidget(brand: string, opts: { team?: string; email?: string } = {}): Promise<{ s: SessionResponse; filed: ComplaintFiledResponse; id: string }> {
  const s = await session(brand, 'web');
  const res = await api('/v1/widget/complaints', { method: 'POST', json: { brand, visitorToken: s.visitorToken, ...WORDS, email: opts.email ?? 'ivan@example.test' } });
  expect(res.status, await res.clone().text()).toBe(201);
  const filed = (await res.json()) as ComplaintFiledResponse;
  const row = await env.DB.prepare('SELECT id FROM complaints WHERE number = ? AND conversation_id = ?').bind(filed.number, filed.conversationId).first<{ id: string }>();
  if (opts.team) await env.DB.prepare('UPDATE complaints SET team_id = ? WHERE id = ?').bind(opts.team, row!.id).run();
  return { s, filed, id: row!.id };
}

/** The complaint's detail as `cookie`'s agent gets it. */
export async function detail(cookie: string, id: string): Promise<ComplaintDetail> {
  const res = await api(`/v1/agent/complaints/${id}`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { complaint: ComplaintDetail }).complaint;
}

/** Write the answer's draft as `cookie`'s agent. */
export async function draft(cookie: string, id: string, body: string): Promise<Response> {
  return api(`/v1/agent/complaints/${id}/draft`, { method: 'PUT', cookie, json: { body } });
}
