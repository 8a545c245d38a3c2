import type { AgentProfile, BrandResponse } from '../protocol';
import type { Agent } from './db/agents';
import type { Tenant } from './db/tenants';

/** The agent as the API shows them. */
export function profileOf(a: Agent): AgentProfile {
  return { id: a.id, tenantId: a.tenantId, tenantKey: a.tenantKey, email: a.email, name: a.name, role: a.role, maxChats: a.maxChats };
}

/** What of a tenant the public may see: never the identity secret or allowed origins. */
export function publicBrand(t: Tenant): BrandResponse {
  return { key: t.key, name: t.name, locale: t.locale, branding: t.branding as BrandResponse['branding'], topics: t.prechatTopics, email: t.hasMail };
}

/** Where a conversation's socket lives, as ws(s):// on the host the request came to. */
export function socketUrl(requestUrl: string, conversationId: string): string {
  const u = new URL(requestUrl);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}/v1/conversations/${encodeURIComponent(conversationId)}/socket`;
}
