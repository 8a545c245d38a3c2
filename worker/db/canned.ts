import type { CannedReply } from '../../protocol';

/** The tenant's canned replies, by shortcut. */
export async function listCannedReplies(db: D1Database, tenantId: string): Promise<CannedReply[]> {
  const { results } = await db
    .prepare('SELECT id, shortcut, title, text FROM canned_replies WHERE tenant_id = ? ORDER BY shortcut')
    .bind(tenantId)
    .all<CannedReply>();
  return results;
}
