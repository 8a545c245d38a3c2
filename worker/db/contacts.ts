import type { ContactCard, CsatScore, Status } from '../../protocol';
import { maskAttributes, maskText } from '../privacy/mask';
import { ApiError } from '../errors';
import { CONTACT_ATTRIBUTES } from '../limits/limits';

/** The kinds of identity a contact can be found by. */
export type IdentityKind = 'external' | 'visitor' | 'email' | 'phone';

/** A contact's identity of one kind, looked up within a tenant. */
export async function findContactByIdentity(db: D1Database, tenantId: string, kind: IdentityKind, value: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT contact_id FROM contact_identities WHERE tenant_id = ? AND kind = ? AND value = ?')
    .bind(tenantId, kind, value)
    .first<{ contact_id: string }>();
  return row?.contact_id ?? null;
}

/** The contact's external (partner-verified) id, or null for an anonymous contact. */
export async function findExternalId(db: D1Database, tenantId: string, contactId: string): Promise<string | null> {
  const row = await db
    .prepare("SELECT value FROM contact_identities WHERE tenant_id = ? AND contact_id = ? AND kind = 'external' LIMIT 1")
    .bind(tenantId, contactId)
    .first<{ value: string }>();
  return row?.value ?? null;
}

/** Create a contact together with its first identities, in one transaction. */
export async function createContact(
  db: D1Database,
  tenantId: string,
  contactId: string,
  identities: { kind: IdentityKind; value: string }[],
  profile: { name?: string; email?: string },
  now: number,
): Promise<void> {
  await db.batch([
    db
      .prepare('INSERT INTO contacts (id, tenant_id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(contactId, tenantId, profile.name ?? null, profile.email ?? null, now, now),
    ...identities.map((i) => identityStatement(db, tenantId, contactId, i.kind, i.value, now)),
  ]);
}

/**
 * Point an identity at a contact. An identity that already belongs to someone is left alone unless
 * `move`; the caller decides whether a device changes hands.
 */
export function identityStatement(db: D1Database, tenantId: string, contactId: string, kind: IdentityKind, value: string, now: number, move = false): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO contact_identities (tenant_id, kind, value, contact_id, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, kind, value) DO UPDATE SET contact_id = excluded.contact_id WHERE ?`,
    )
    .bind(tenantId, kind, value, contactId, now, move ? 1 : 0);
}

/** Attach identities to an existing contact and refresh its profile from verified claims. */
export async function attachIdentities(
  db: D1Database,
  tenantId: string,
  contactId: string,
  identities: { kind: IdentityKind; value: string; move?: boolean }[],
  profile: { name?: string; email?: string },
  now: number,
): Promise<void> {
  await db.batch([
    ...identities.map((i) => identityStatement(db, tenantId, contactId, i.kind, i.value, now, i.move)),
    db
      .prepare('UPDATE contacts SET name = COALESCE(?, name), email = COALESCE(?, email), updated_at = ? WHERE tenant_id = ? AND id = ?')
      .bind(profile.name ?? null, profile.email ?? null, now, tenantId, contactId),
  ]);
}

/**
 * Fold an anonymous contact into an identified one: its identities and every conversation it had
 * now belong to `intoId`, so the agent sees one person with one history.
 */
export async function mergeContact(db: D1Database, tenantId: string, fromId: string, intoId: string, now: number, mergedConversation?: { id: string; into: string }): Promise<void> {
  // The merged conversation is closed in D1 at once (its object already says so and will project
  // the same), so the next session cannot pick it as the contact's open one.
  const closeMerged = mergedConversation
    ? [db.prepare("UPDATE conversations SET status = 'closed', merged_into = ? WHERE tenant_id = ? AND id = ?").bind(mergedConversation.into, tenantId, mergedConversation.id)]
    : [];
  await db.batch([
    ...closeMerged,
    db.prepare('UPDATE contact_identities SET contact_id = ? WHERE tenant_id = ? AND contact_id = ?').bind(intoId, tenantId, fromId),
    db.prepare('UPDATE conversations SET contact_id = ? WHERE tenant_id = ? AND contact_id = ?').bind(intoId, tenantId, fromId),
    db.prepare('UPDATE contacts SET merged_into = ?, updated_at = ? WHERE tenant_id = ? AND id = ?').bind(intoId, now, tenantId, fromId),
  ]);
}

/**
 * Merge the host page's attributes into the contact's (JSON merge patch; null removes a key).
 * The merged whole must stay within CONTACT_ATTRIBUTES, checked in the same statement so parallel
 * calls cannot each pass alone; over the cap nothing is stored and contact.attributes_too_large is thrown.
 */
export async function mergeContactAttributes(db: D1Database, tenantId: string, contactId: string, attributes: Record<string, unknown>, now: number): Promise<void> {
  const { maxKeys, maxBytes } = CONTACT_ATTRIBUTES;
  const result = await db
    .prepare(
      `UPDATE contacts SET attributes = json_patch(attributes, ?1), updated_at = ?2
       WHERE tenant_id = ?3 AND id = ?4
         AND (SELECT count(*) FROM json_each(json_patch(contacts.attributes, ?1))) <= ?5
         AND length(CAST(json_patch(contacts.attributes, ?1) AS BLOB)) <= ?6`,
    )
    .bind(JSON.stringify(attributes), now, tenantId, contactId, maxKeys, maxBytes)
    .run();
  if (result.meta.changes > 0) return;
  const exists = await db.prepare('SELECT 1 AS one FROM contacts WHERE tenant_id = ? AND id = ?').bind(tenantId, contactId).first();
  if (exists) throw new ApiError('contact.attributes_too_large', `A contact keeps at most ${maxKeys} attributes and ${maxBytes / 1024} KB of them`);
}

type ConversationRow = { id: string; number: number; status: Status; created_at: number; last_message_text: string | null; csat_score: CsatScore | null; csat_comment: string | null };

/**
 * The contact card as agents see it: profile, identities, attributes and past conversations with
 * every number masked (device tokens never shown); the clear text only through the audited reveal.
 */
export async function getContactCard(db: D1Database, tenantId: string, contactId: string): Promise<ContactCard | null> {
  const [contact, identities, conversations] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT id, name, email, attributes FROM contacts WHERE tenant_id = ? AND id = ?').bind(tenantId, contactId),
    db.prepare('SELECT kind, value FROM contact_identities WHERE tenant_id = ? AND contact_id = ? ORDER BY created_at').bind(tenantId, contactId),
    db
      .prepare('SELECT id, number, status, created_at, last_message_text, csat_score, csat_comment FROM conversations WHERE tenant_id = ? AND contact_id = ? AND opened_at IS NOT NULL ORDER BY created_at DESC LIMIT 100')
      .bind(tenantId, contactId),
  ]);
  const c = contact!.results[0] as { id: string; name: string | null; email: string | null; attributes: string } | undefined;
  if (!c) return null;
  return {
    id: c.id,
    // The name comes from a partner's token or the away form, and people type numbers into both.
    name: c.name === null ? null : maskText(c.name).text,
    email: c.email === null ? null : maskText(c.email).text,
    identities: (identities!.results as { kind: ContactCard['identities'][number]['kind']; value: string }[]).map((i) => ({
      kind: i.kind,
      // A phone identity is a hash (migration 0007): there is nothing to show but that it was verified.
      value: i.kind === 'visitor' ? 'device' : i.kind === 'phone' ? 'verified by the partner' : maskText(i.value).text,
    })),
    attributes: maskAttributes(JSON.parse(c.attributes) as ContactCard['attributes']),
    conversations: (conversations!.results as ConversationRow[]).map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      createdAt: r.created_at,
      lastMessageText: r.last_message_text === null ? null : maskText(r.last_message_text).text,
      csat: r.csat_score === null ? null : { score: r.csat_score, comment: r.csat_comment === null ? null : maskText(r.csat_comment).text },
    })),
  };
}
