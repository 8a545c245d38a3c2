import { mergeFiles } from '../documents/merge-files';
import type { Channel } from '../../protocol';
import type { Env } from '../env';
import type { Tenant } from '../db/tenants';
import type { IdentityClaims } from '../auth/tokens';
import { newId, randomToken, sha256 } from '../auth/crypto';
import { attachIdentities, createContact, findContactByIdentity, findExternalId, mergeContact, mergeContactAttributes } from '../db/contacts';
import { findOpenConversation, openConversation } from '../db/conversations';
import type { ConversationRef } from '../db/conversations';
import type { IdentityKind } from '../db/contacts';
import { conversationStub } from '../stubs';
import { isVip, routeTeam } from '../routing/route';
import { phoneHash } from './phone';
import { slaConfig } from '../db/sla';

/** Who is on the other end of a widget session, and the conversation they continue. */
export interface ResolvedSession {
  visitorToken: string;
  contactId: string;
  conversation: ConversationRef;
}

/**
 * Find (or make) the contact behind a device and an optional verified identity, and their one open
 * conversation. The same verified `sub` on web, app and modem always resolves to the same contact,
 * so to the same conversation; an anonymous visitor who identifies is folded into that contact,
 * their open conversation's history moving along.
 */
export async function resolveSession(
  env: Env,
  tenant: Tenant,
  channel: Channel,
  visitorToken: string | undefined,
  identity: IdentityClaims | null,
  attributes?: Record<string, unknown>,
): Promise<ResolvedSession> {
  const db = env.DB;
  const now = Date.now();
  let token = visitorToken ?? randomToken();
  let visitorContact = await findContactByIdentity(db, tenant.id, 'visitor', await sha256(token));
  const profile = { name: identity?.name, email: identity?.email };

  let contactId: string;
  if (!identity) {
    contactId = visitorContact ?? (await newContact(env, tenant, [{ kind: 'visitor', value: await sha256(token) }], profile, now));
  } else {
    const known = await findContactByIdentity(db, tenant.id, 'external', identity.sub);
    // A device that belongs to someone else who is identified (a shared computer) gets a fresh
    // visitor token rather than handing one person's history to another.
    if (visitorContact && visitorContact !== known && (await findExternalId(db, tenant.id, visitorContact)) !== null) {
      token = randomToken();
      visitorContact = null;
    }
    const visitorHash = await sha256(token);
    // Only the signed token gives a contact an e-mail or a phone identity; the number is kept hashed.
    const extras: { kind: IdentityKind; value: string }[] = identity.email ? [{ kind: 'email', value: identity.email }] : [];
    if (identity.phone) extras.push({ kind: 'phone', value: await phoneHash(tenant.id, identity.phone) });
    if (known) {
      contactId = known;
      if (visitorContact && visitorContact !== known) await foldVisitorInto(env, tenant, visitorContact, known, now);
      await attachIdentities(db, tenant.id, known, [{ kind: 'visitor', value: visitorHash, move: true }, ...extras], profile, now);
    } else if (visitorContact) {
      // The anonymous contact simply becomes this person: same contact, same conversation.
      contactId = visitorContact;
      await attachIdentities(db, tenant.id, visitorContact, [{ kind: 'external', value: identity.sub }, ...extras], profile, now);
    } else {
      contactId = await newContact(env, tenant, [{ kind: 'external', value: identity.sub }, { kind: 'visitor', value: visitorHash }, ...extras], profile, now);
    }
  }

  // Signed attributes win over what the page said, and show on the contact card like the others.
  const merged = { ...attributes, ...identity?.attributes };
  if (Object.keys(merged).length) await mergeContactAttributes(db, tenant.id, contactId, merged, now);
  const conversation = await openConversation(db, tenant.id, contactId, newId(now), channel, now);
  await ensureConversationObject(env, tenant, conversation, channel, identity);
  return { visitorToken: token, contactId, conversation };
}

/**
 * Make sure the conversation's object exists and knows its tenant, contact, route and team: how a
 * conversation opened in D1 (by a widget session or an inbound mail) gets its Durable Object.
 */
export async function ensureConversationObject(env: Env, tenant: Tenant, conversation: ConversationRef, channel: Channel, identity: Pick<IdentityClaims, 'name' | 'attributes'> | null): Promise<void> {
  // Routing trusts only what the partner signed; unsigned widget attributes never make a VIP.
  const verified = identity?.attributes ?? {};
  // The tenant's SLA settings go to the conversation's object with routing's inputs, at every session.
  const sla = await slaConfig(env.DB, tenant.id);
  const route = { rules: tenant.routingRules, topics: tenant.prechatTopics.map((t) => t.key), brand: tenant.key, channel, verified };
  await conversationStub(env, conversation.id).ensure({
    id: conversation.id,
    tenantId: tenant.id,
    tenantKey: tenant.key,
    contactName: identity?.name ?? null,
    number: conversation.number,
    contactId: conversation.contactId,
    createdAt: conversation.createdAt,
    unusedTtlMs: tenant.unusedSessionTtlMs,
    team: routeTeam(route.rules, { ...route, topic: null }),
    vip: isVip(verified),
    route,
    slaConfig: sla,
  });
}

/** A new contact with these identities and profile; its id. */
export async function newContact(env: Env, tenant: Tenant, identities: { kind: IdentityKind; value: string }[], profile: { name?: string; email?: string }, now: number): Promise<string> {
  const id = newId(now);
  await createContact(env.DB, tenant.id, id, identities, profile, now);
  return id;
}

/**
 * Merge an anonymous contact into an identified one. If both have an open conversation, the
 * visitor's messages are copied into the contact's and the visitor's is closed as merged; if only
 * the visitor has one, it simply changes hands. D1 and the objects are both told, in an order that
 * a retry can repeat safely.
 */
async function foldVisitorInto(env: Env, tenant: Tenant, fromId: string, intoId: string, now: number): Promise<void> {
  const [fromOpen, intoOpen] = await Promise.all([findOpenConversation(env.DB, tenant.id, fromId), findOpenConversation(env.DB, tenant.id, intoId)]);
  const stub = (id: string) => conversationStub(env, id);
  let merged: { id: string; into: string } | undefined;
  if (fromOpen && intoOpen) {
    const history = await stub(fromOpen.id).exportMessages(tenant.id);
    if (history.ok) await stub(intoOpen.id).importMessages(tenant.id, fromOpen.id, history.value);
    if (history.ok) await mergeFiles(env, tenant.id, fromOpen.id, intoOpen.id);
    await stub(fromOpen.id).mergeInto(tenant.id, intoOpen.id);
    merged = { id: fromOpen.id, into: intoOpen.id };
  }
  if (fromOpen) await stub(fromOpen.id).setContact(tenant.id, intoId);
  await mergeContact(env.DB, tenant.id, fromId, intoId, now, merged);
}
