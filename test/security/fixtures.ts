/**
 * Data and callers for the security battery: each test makes its own conversations through the
 * same API a customer uses, and signs agents in with real sessions.
 */
import { expect } from 'vitest';
import { BASE, MVNO, OPERATOR, api, login } from '../helpers';
import type { OfflineMessageResponse, SessionResponse } from '../../protocol';

/** Tenant A's accounts (the operator): the ones whose data the matrix guards. */
export const A = {
  admin: OPERATOR.agents[0]!,
  supervisor: OPERATOR.agents[1]!,
  /** The assignee of every conversation the battery makes. */
  anna: OPERATOR.agents[2]!,
  /** A plain agent of the same role who does not own the conversation. */
  boris: OPERATOR.agents[3]!,
};

/** Tenant B's accounts (the MVNO): the other tenant. */
export const B = {
  admin: MVNO.agents[0]!,
  olga: MVNO.agents[2]!,
};

/**
 * An IP of its own for each new widget session: the battery makes many conversations, and the
 * per-IP session limit (tested in test/worker/security) must not decide these tests.
 */
export function freshIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

/** The state-changing headers of a same-origin browser request (the CSRF check lets it through). */
export const SAME_ORIGIN = { origin: BASE };

/** Text that appears only in tenant A's data: it must never reach another tenant. */
export const A_MARKER = 'northwind-private-marker';

/** Strings that give tenant A away: its id, name, agents; plus what a test adds (its conversations). */
export function tenantAMarkers(extra: string[] = []): string[] {
  return [OPERATOR.id, 'Northwind', A_MARKER, ...OPERATOR.agents.flatMap((a) => [a.id, a.email]), ...extra];
}

/** A conversation of tenant A with a customer message, left as a customer would (away form). */
export interface Conversation {
  id: string;
  visitorToken: string;
}

/** Start a conversation of `tenant` through the away form: it has a customer message (seq 1). */
export async function leaveMessage(tenant: { key: string }, text: string): Promise<Conversation> {
  const res = await api('/v1/widget/offline-message', {
    method: 'POST',
    json: { brand: tenant.key, name: 'Matrix Customer', email: `c-${crypto.randomUUID()}@example.test`, text },
    headers: { 'cf-connecting-ip': freshIp() },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as OfflineMessageResponse;
  return { id: body.conversationId, visitorToken: body.visitorToken };
}

/** The customer's socket token for a conversation made by `leaveMessage`. */
export async function customerToken(tenant: { key: string }, c: Conversation): Promise<SessionResponse> {
  const res = await api('/v1/widget/session', { method: 'POST', json: { brand: tenant.key, channel: 'web', visitorToken: c.visitorToken }, headers: { 'cf-connecting-ip': freshIp() } });
  expect(res.status, await res.clone().text()).toBe(200);
  const s = (await res.json()) as SessionResponse;
  expect(s.conversationId).toBe(c.id);
  return s;
}

/** A supervisor assigns `conversationId` to `agentId` through REST. */
export async function assign(supervisorCookie: string, conversationId: string, agentId: string | null): Promise<void> {
  const res = await api(`/v1/agent/conversations/${conversationId}`, { method: 'PATCH', json: { assigneeId: agentId }, cookie: supervisorCookie, headers: SAME_ORIGIN });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** The signed-in sessions of both tenants' agents. */
export interface Sessions {
  aAdmin: string;
  aSupervisor: string;
  anna: string;
  boris: string;
  bAdmin: string;
  olga: string;
}

/** Sign in every account the battery uses. */
export async function signInAll(): Promise<Sessions> {
  return {
    aAdmin: await login(A.admin.email),
    aSupervisor: await login(A.supervisor.email),
    anna: await login(A.anna.email),
    boris: await login(A.boris.email),
    bAdmin: await login(B.admin.email),
    olga: await login(B.olga.email),
  };
}

/** Expect a body in the one error shape: `{ error: { code, message } }` (and `retryAfter` on rate limits). */
export function expectErrorShape(json: unknown, what: string): void {
  const err = (json as { error?: Record<string, unknown> } | null)?.error;
  expect(json !== null && typeof json === 'object' ? Object.keys(json) : json, `${what}: top-level keys`).toEqual(['error']);
  expect(typeof err?.code, `${what}: error.code`).toBe('string');
  expect(typeof err?.message, `${what}: error.message`).toBe('string');
  expect(Object.keys(err ?? {}).filter((k) => !['code', 'message', 'retryAfter'].includes(k)), `${what}: extra fields`).toEqual([]);
}

/** A new widget session of `tenant` (a new contact and conversation), from an IP of its own. */
export async function newSession(tenant: { key: string }): Promise<SessionResponse> {
  const res = await api('/v1/widget/session', { method: 'POST', json: { brand: tenant.key, channel: 'web' }, headers: { 'cf-connecting-ip': freshIp() } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SessionResponse;
}
