import type { Topic, TopicsConfig } from '../../protocol';

/**
 * The tenant's topics and its "a topic is required at resolve" setting. One list per tenant; the
 * brand's pre-chat topics are a subset of it (the routing admin adds theirs here when saved).
 */

/** The tenant's topics in their configured order. */
export async function listTopics(db: D1Database, tenantId: string): Promise<Topic[]> {
  const { results } = await db.prepare('SELECT key, label FROM topics WHERE tenant_id = ? ORDER BY position, key').bind(tenantId).all<Topic>();
  return results;
}

/** One of the tenant's topics, or null. */
export async function findTopic(db: D1Database, tenantId: string, key: string): Promise<Topic | null> {
  return db.prepare('SELECT key, label FROM topics WHERE tenant_id = ? AND key = ?').bind(tenantId, key).first<Topic>();
}

/** Whether resolving a conversation of this tenant needs a topic set first. */
export async function requiresTopic(db: D1Database, tenantId: string): Promise<boolean> {
  const row = await db.prepare('SELECT require_topic_at_resolve AS r FROM tenants WHERE id = ?').bind(tenantId).first<{ r: number }>();
  return row?.r === 1;
}

/** The topics and the setting together. */
export async function topicsConfig(db: D1Database, tenantId: string): Promise<TopicsConfig> {
  const [topics, requireAtResolve] = await Promise.all([listTopics(db, tenantId), requiresTopic(db, tenantId)]);
  return { topics, requireAtResolve };
}

/** Replace the list and the setting in one batch; topics left out are gone (tickets keep their key). */
export async function saveTopics(db: D1Database, tenantId: string, config: TopicsConfig): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM topics WHERE tenant_id = ? AND key NOT IN (SELECT value FROM json_each(?))').bind(tenantId, JSON.stringify(config.topics.map((t) => t.key))),
    ...config.topics.map((t, i) =>
      db
        .prepare('INSERT INTO topics (tenant_id, key, label, position) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO UPDATE SET label = excluded.label, position = excluded.position')
        .bind(tenantId, t.key, t.label, i),
    ),
    db.prepare('UPDATE tenants SET require_topic_at_resolve = ? WHERE id = ?').bind(config.requireAtResolve ? 1 : 0, tenantId),
  ]);
}

/**
 * The statement that keeps pre-chat topics a subset of the tenant's topics: those missing are added
 * at the end with their pre-chat label. For the routing admin's batch.
 */
export function addMissingTopics(db: D1Database, tenantId: string, prechat: Topic[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO topics (tenant_id, key, label, position)
       SELECT ?1, json_extract(j.value, '$.key'), json_extract(j.value, '$.label'), (SELECT COALESCE(MAX(position), -1) + 1 FROM topics WHERE tenant_id = ?1) + j.key
       FROM json_each(?2) j`,
    )
    .bind(tenantId, JSON.stringify(prechat));
}
