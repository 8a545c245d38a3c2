import type { Env } from './env';

/** The Durable Object of one conversation, named by its conversation ID. */
export function conversationStub(env: Pick<Env, 'CONVERSATION'>, conversationId: string) {
  return env.CONVERSATION.get(env.CONVERSATION.idFromName(conversationId));
}

/** The Inbox Durable Object of one team of a tenant: that team's live queue. */
export function teamStub(env: Pick<Env, 'INBOX'>, tenantId: string, teamId: string) {
  return env.INBOX.get(env.INBOX.idFromName(`${tenantId}:${teamId}`));
}

/** The Floor Durable Object of one tenant: inbox presence and the agents' state log. */
export function floorStub(env: Pick<Env, 'FLOOR'>, tenantId: string) {
  return env.FLOOR.get(env.FLOOR.idFromName(tenantId));
}

/** The Limiter Durable Object of one key, e.g. `login:ip:203.0.113.9`. */
export function limiterStub(env: Pick<Env, 'LIMITER'>, key: string) {
  return env.LIMITER.get(env.LIMITER.idFromName(key));
}
