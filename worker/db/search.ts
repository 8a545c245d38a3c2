import type { SearchHit, SearchHitKind, Status } from '../../protocol';
import { maskText } from '../privacy/mask';

/**
 * Search over the tenant's messages, notes, contacts and ticket numbers. The full-text indexes
 * (migration 0006) hold masked text only, so a snippet can never show a personal number; a match
 * is scoped to its tenant inside the index (the `search_scope` token) and to the caller's teams by
 * the ticket row.
 */

/** Marks around a matched term in an FTS snippet; control characters no stored text keeps (see searchText). */
const OPEN = '\u0002';
const CLOSE = '\u0003';

/** The text the search index keeps of a message or note: masked, and without the snippet marks. */
export function searchText(text: string): string {
  return maskText(text).text.replace(/[\u0002\u0003]/g, ' ');
}

/** The tenant's token in the index: its id without dashes (migration 0006 builds it the same way). */
function scopeOf(tenantId: string): string {
  return `t${tenantId.replace(/-/g, '')}`;
}

/**
 * The MATCH expression for what an agent typed: every word must occur, the last one as a prefix
 * (results as you type). Words are quoted, so nothing typed is FTS syntax; null when no word is left.
 */
export function matchExpression(q: string, tenantId: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu)?.slice(0, 12);
  if (!words?.length) return null;
  const terms = words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`);
  return `search_scope : "${scopeOf(tenantId)}" AND text_masked : (${terms.join(' AND ')})`;
}

/** What narrows a search: the ticket's filters and the caller's team wall (null: the whole tenant, for admins). */
export interface SearchFilter {
  statuses?: Status[];
  channel?: string;
  team?: string;
  /** An agent id, or null for unassigned. */
  assignee?: string | null;
  topic?: string;
  from?: number;
  to?: number;
  wall: { teams: string[]; agentId: string } | null;
}

/** The ticket conditions on `c` (conversations), `time` being the hit's time column (fixed text); parameters from ?3 on (see filterParams). */
const ticketFilter = (time: string): string => `c.tenant_id = ?2 AND c.opened_at IS NOT NULL
  AND (?3 IS NULL OR c.status IN (SELECT value FROM json_each(?3)))
  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.channels) WHERE value = ?4))
  AND (?5 IS NULL OR c.team_id = ?5)
  AND (?6 = 0 OR (?7 IS NULL AND c.assignee_id IS NULL) OR c.assignee_id = ?7)
  AND (?8 IS NULL OR c.topic = ?8)
  AND (?9 IS NULL OR ${time} >= ?9) AND (?10 IS NULL OR ${time} <= ?10)
  AND (?11 IS NULL OR c.team_id IN (SELECT value FROM json_each(?11)) OR c.assignee_id = ?12)`;

function filterParams(f: SearchFilter): unknown[] {
  return [
    f.statuses ? JSON.stringify(f.statuses) : null,
    f.channel ?? null,
    f.team ?? null,
    f.assignee === undefined ? 0 : 1,
    f.assignee ?? null,
    f.topic ?? null,
    f.from ?? null,
    f.to ?? null,
    f.wall ? JSON.stringify(f.wall.teams) : null,
    f.wall?.agentId ?? null,
  ];
}

type HitRow = { conversation_id: string; number: number; seq: number | null; snippet: string; created_at: number; rank: number };

/**
 * The `limit` best hits from `offset` on, and whether there are more. Ticket numbers (`#123`) and
 * contacts (name prefix, or an exact e-mail through the identity table) come first, then messages
 * and notes by relevance (bm25).
 */
export async function search(db: D1Database, tenantId: string, q: string, f: SearchFilter, offset: number, limit: number): Promise<{ hits: SearchHit[]; more: boolean }> {
  const want = offset + limit + 1;
  const params = filterParams(f);
  const statements: { kind: SearchHitKind; stmt: D1PreparedStatement }[] = [];
  const ticket = q.match(/^#?(\d{1,9})$/);
  if (ticket) {
    statements.push({
      kind: 'ticket',
      stmt: db
        .prepare(`SELECT c.id AS conversation_id, c.number, NULL AS seq, '#' || c.number AS snippet, c.created_at, 0 AS rank FROM conversations c WHERE c.number = ?1 AND ${ticketFilter('c.created_at')}`)
        .bind(Number(ticket[1]), tenantId, ...params),
    });
  }
  const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(q) ? q.toLowerCase() : null;
  // The contact's latest ticket stands for them. An e-mail only ever matches exactly, through the
  // identity row; a name by its prefix, as a range on the case-blind index (LIKE could not use it).
  const contactHit = `SELECT c.id AS conversation_id, c.number, NULL AS seq, COALESCE(k.name, '') AS snippet, c.created_at, 0 AS rank
    FROM contacts k JOIN conversations c ON c.contact_id = k.id AND c.tenant_id = k.tenant_id`;
  if (email) {
    statements.push({
      kind: 'contact',
      stmt: db
        .prepare(`${contactHit} WHERE k.tenant_id = ?2 AND k.id IN (SELECT contact_id FROM contact_identities WHERE tenant_id = ?2 AND kind = 'email' AND value = ?13) AND ${ticketFilter('c.created_at')} ORDER BY c.created_at DESC LIMIT ?1`)
        .bind(want, tenantId, ...params, email),
    });
  } else if (q.length >= 2) {
    statements.push({
      kind: 'contact',
      stmt: db
        .prepare(`${contactHit} WHERE k.tenant_id = ?2 AND k.name >= ?13 COLLATE NOCASE AND k.name < ?14 COLLATE NOCASE AND ${ticketFilter('c.created_at')} ORDER BY c.created_at DESC LIMIT ?1`)
        .bind(want, tenantId, ...params, q, `${q}\u{10ffff}`),
    });
  }
  const match = matchExpression(q, tenantId);
  if (match) {
    for (const [kind, table, index] of [['message', 'messages', 'messages_search'], ['note', 'notes', 'notes_search']] as const) {
      statements.push({
        kind,
        stmt: db
          .prepare(
            `SELECT x.conversation_id, c.number, x.seq, snippet(${index}, 0, '${OPEN}', '${CLOSE}', '…', 16) AS snippet, x.created_at, bm25(${index}) AS rank
             FROM ${index} JOIN ${table} x ON x.rowid = ${index}.rowid JOIN conversations c ON c.id = x.conversation_id
             WHERE ${index} MATCH ?13 AND ${ticketFilter('x.created_at')}
             ORDER BY rank LIMIT ?1`,
          )
          .bind(want, tenantId, ...params, match),
      });
    }
  }
  if (statements.length === 0) return { hits: [], more: false };
  const results = await db.batch<HitRow>(statements.map((s) => s.stmt));
  const first: (SearchHit & { rank: number })[] = [];
  const ranked: (SearchHit & { rank: number })[] = [];
  const seen = new Set<string>();
  results.forEach((r, i) => {
    const kind = statements[i]!.kind;
    for (const row of r.results) {
      const hit = { ...toHit(kind, row), rank: row.rank };
      if (kind === 'ticket' || kind === 'contact') {
        if (seen.has(hit.conversationId)) continue;
        seen.add(hit.conversationId);
        first.push(hit);
      } else ranked.push(hit);
    }
  });
  ranked.sort((a, b) => a.rank - b.rank || b.createdAt - a.createdAt);
  const all: SearchHit[] = [...first, ...ranked].map(({ rank: _, ...h }) => h);
  return { hits: all.slice(offset, offset + limit), more: all.length > offset + limit };
}

/** A row as a hit: the snippet's marks become highlight ranges; every text masked. */
function toHit(kind: SearchHitKind, r: HitRow): SearchHit {
  const highlights: [number, number][] = [];
  let snippet = '';
  let start = -1;
  for (const ch of kind === 'contact' ? maskText(r.snippet).text : r.snippet) {
    if (ch === OPEN) start = snippet.length;
    else if (ch === CLOSE) {
      if (start >= 0) highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += ch;
  }
  return { conversationId: r.conversation_id, number: r.number, kind, seq: r.seq, snippet, highlights, createdAt: r.created_at };
}
