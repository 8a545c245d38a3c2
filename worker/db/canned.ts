import * as v from 'valibot';
import { MacroActions } from '../../protocol';
import type { CannedReply, MacroInput } from '../../protocol';
import { newId } from '../auth/crypto';

/**
 * The tenant's canned replies. With actions (set topic or priority, hold, resolve) a reply is a
 * macro; without, a plain one: the same row, the same `/` picker, the same run route.
 */

interface CannedRow {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  actions: string | null;
}

function toReply(r: CannedRow): CannedReply {
  // Stored by this code only, after validation; a row that no longer parses runs as a plain reply
  // rather than with half-understood actions.
  const parsed = v.safeParse(MacroActions, JSON.parse(r.actions ?? '{}'));
  return { id: r.id, shortcut: r.shortcut, title: r.title, text: r.text, actions: parsed.success ? parsed.output : {} };
}

/** The tenant's canned replies, by shortcut. */
export async function listCannedReplies(db: D1Database, tenantId: string): Promise<CannedReply[]> {
  const { results } = await db.prepare('SELECT id, shortcut, title, text, actions FROM canned_replies WHERE tenant_id = ? ORDER BY shortcut').bind(tenantId).all<CannedRow>();
  return results.map(toReply);
}

/** One canned reply of the tenant by id, or null (another tenant's is null too). */
export async function findCannedReply(db: D1Database, tenantId: string, id: string): Promise<CannedReply | null> {
  const row = await db.prepare('SELECT id, shortcut, title, text, actions FROM canned_replies WHERE tenant_id = ? AND id = ?').bind(tenantId, id).first<CannedRow>();
  return row ? toReply(row) : null;
}

/** Create or replace the reply under `shortcut`; a replaced one keeps its id, so open pickers still run it. */
export async function saveCannedReply(db: D1Database, tenantId: string, shortcut: string, input: MacroInput, now = Date.now()): Promise<CannedReply> {
  const row = await db
    .prepare(
      `INSERT INTO canned_replies (id, tenant_id, shortcut, title, text, actions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, shortcut) DO UPDATE SET title = excluded.title, text = excluded.text, actions = excluded.actions
       RETURNING id, shortcut, title, text, actions`,
    )
    .bind(newId(now), tenantId, shortcut, input.title, input.text, JSON.stringify(input.actions), now)
    .first<CannedRow>();
  return toReply(row!);
}

/** Delete the reply under `shortcut`; false when the tenant has none. */
export async function deleteCannedReply(db: D1Database, tenantId: string, shortcut: string): Promise<boolean> {
  const r = await db.prepare('DELETE FROM canned_replies WHERE tenant_id = ? AND shortcut = ?').bind(tenantId, shortcut).run();
  return r.meta.changes > 0;
}
