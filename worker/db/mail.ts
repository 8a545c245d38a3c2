/** D1 access for the e-mail channel: brands' mail settings, sent Message-IDs, conversations' mail threads. */

/** A brand's mail settings, relay credentials included: for the mail consumer and the inbound handler only, never for an API. */
export interface MailSettings {
  tenantId: string;
  inboundAddress: string;
  fromName: string;
  fromAddress: string;
  relay: { host: string; port: number; secure: boolean; user: string | null; password: string | null };
}

/** The e-mail side of one conversation. */
export interface MailThread {
  conversationId: string;
  tenantId: string;
  /** The customer's address in clear: only ever used to send, never shown. */
  address: string;
  subject: string;
  lastMessageId: string | null;
  refs: string[];
}

interface SettingsRow {
  tenant_id: string;
  inbound_address: string;
  from_name: string;
  from_address: string;
  relay_host: string;
  relay_port: number;
  relay_secure: number;
  relay_user: string | null;
  relay_password: string | null;
}

const toSettings = (r: SettingsRow): MailSettings => ({
  tenantId: r.tenant_id,
  inboundAddress: r.inbound_address,
  fromName: r.from_name,
  fromAddress: r.from_address,
  relay: { host: r.relay_host, port: r.relay_port, secure: r.relay_secure === 1, user: r.relay_user, password: r.relay_password },
});

/** The tenant's mail settings, or null when the brand has no e-mail. */
export async function findMailSettings(db: D1Database, tenantId: string): Promise<MailSettings | null> {
  const row = await db.prepare('SELECT * FROM mail_settings WHERE tenant_id = ?').bind(tenantId).first<SettingsRow>();
  return row ? toSettings(row) : null;
}

/** The brand whose inbound address is `address` (lower-case, without its +tag), or null. */
export async function findMailSettingsByInbound(db: D1Database, address: string): Promise<MailSettings | null> {
  const row = await db.prepare('SELECT * FROM mail_settings WHERE inbound_address = ?').bind(address).first<SettingsRow>();
  return row ? toSettings(row) : null;
}

/** Whether the brand has e-mail configured (what the widget's away form may promise). */
export async function hasMail(db: D1Database, tenantId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS one FROM mail_settings WHERE tenant_id = ?').bind(tenantId).first()) !== null;
}

/** Create or replace a brand's mail settings. */
export async function putMailSettings(db: D1Database, s: MailSettings, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO mail_settings (tenant_id, inbound_address, from_name, from_address, relay_host, relay_port, relay_secure, relay_user, relay_password, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id) DO UPDATE SET inbound_address = excluded.inbound_address, from_name = excluded.from_name, from_address = excluded.from_address,
         relay_host = excluded.relay_host, relay_port = excluded.relay_port, relay_secure = excluded.relay_secure, relay_user = excluded.relay_user,
         relay_password = excluded.relay_password, updated_at = excluded.updated_at`,
    )
    .bind(s.tenantId, s.inboundAddress.toLowerCase(), s.fromName, s.fromAddress, s.relay.host, s.relay.port, s.relay.secure ? 1 : 0, s.relay.user, s.relay.password, now)
    .run();
}

/** Whether the relay already accepted this Message-ID for the tenant. */
export async function wasSent(db: D1Database, tenantId: string, messageId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS one FROM mail_sent WHERE tenant_id = ? AND message_id = ?').bind(tenantId, messageId).first()) !== null;
}

/** Record that the relay accepted this Message-ID; a second record of it changes nothing. */
export async function recordSent(db: D1Database, tenantId: string, messageId: string, conversationId: string | null, now: number): Promise<void> {
  await db
    .prepare('INSERT INTO mail_sent (tenant_id, message_id, conversation_id, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
    .bind(tenantId, messageId, conversationId, now)
    .run();
}

/** How many Message-IDs the relay accepted for a conversation (tests and reconciliation). */
export async function countSent(db: D1Database, tenantId: string, conversationId: string): Promise<number> {
  const row = await db.prepare('SELECT count(*) AS n FROM mail_sent WHERE tenant_id = ? AND conversation_id = ?').bind(tenantId, conversationId).first<{ n: number }>();
  return row?.n ?? 0;
}

/** The conversation's mail thread, within its tenant, or null. */
export async function findMailThread(db: D1Database, tenantId: string, conversationId: string): Promise<MailThread | null> {
  const row = await db
    .prepare('SELECT conversation_id, tenant_id, address, subject, last_message_id, refs FROM mail_threads WHERE tenant_id = ? AND conversation_id = ?')
    .bind(tenantId, conversationId)
    .first<{ conversation_id: string; tenant_id: string; address: string; subject: string; last_message_id: string | null; refs: string }>();
  if (!row) return null;
  return { conversationId: row.conversation_id, tenantId: row.tenant_id, address: row.address, subject: row.subject, lastMessageId: row.last_message_id, refs: JSON.parse(row.refs) as string[] };
}

/** Keep only the thread's first and latest Message-IDs: References must not grow without end (RFC 5322 §3.6.4 allows trimming the middle). */
const MAX_REFS = 20;

/**
 * Note a mail in the conversation's thread: the customer's address and subject (the first mail's
 * subject stays), and its Message-ID appended to the references. `fromCustomer` also makes it the
 * mail an answer replies to.
 */
export async function noteThreadMail(
  db: D1Database,
  t: { tenantId: string; conversationId: string; address: string; subject: string; messageId: string | null; fromCustomer: boolean },
  now: number,
): Promise<void> {
  const prev = await findMailThread(db, t.tenantId, t.conversationId);
  let refs = prev?.refs ?? [];
  if (t.messageId && !refs.includes(t.messageId)) refs = [...refs, t.messageId];
  if (refs.length > MAX_REFS) refs = [refs[0]!, ...refs.slice(refs.length - MAX_REFS + 1)];
  const last = t.fromCustomer && t.messageId ? t.messageId : (prev?.lastMessageId ?? null);
  await db
    .prepare(
      `INSERT INTO mail_threads (conversation_id, tenant_id, address, subject, last_message_id, refs, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET address = excluded.address, last_message_id = excluded.last_message_id, refs = excluded.refs, updated_at = excluded.updated_at
       WHERE mail_threads.tenant_id = excluded.tenant_id`,
    )
    .bind(t.conversationId, t.tenantId, t.address.toLowerCase(), prev?.subject ?? t.subject, last, JSON.stringify(refs), now)
    .run();
}
