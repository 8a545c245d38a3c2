import type { SearchHit, SearchHitKind, Status } from '../../protocol';
import { maskText } from '../privacy/mask';
import { maskedPhone, normalisePhone, phoneHash } from '../contacts/phone';

/**
 * Search over the tenant's messages, notes, contacts and ticket numbers. The full-text indexes
 * (migration 0006) hold masked text only, so a snippet can never show a personal number; a match
 * is kept to its tenant and to the caller's teams by the ticket row it joins.
 */

/** The text the search index keeps of a message or note: masked, as agents see it. */
export function searchText(text: string): string {
  return maskText(text).text;
}

/**
 * The MATCH expression for what an agent typed: every word must occur, the last one as a prefix
 * (results as you type). Words are quoted, so nothing typed is FTS syntax; null when no word is left.
 * The tenant is not a term here: ANDing its token (every row of the tenant carries it) cost ~40 ms a
 * query at 1,000,000 messages; the ticket join keeps the tenant, and a tenant large enough for that
 * to matter has a D1 of its own (docs/scale.md).
 */
export function matchExpression(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu)?.slice(0, 12);
  if (!words?.length) return null;
  const terms = words.map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`);
  return `text_masked : (${terms.join(' AND ')})`;
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

/** `snippet` is the masked text of a message or note, the name of a contact, `#123` for a ticket. */
type HitRow = { conversation_id: string; number: number; seq: number | null; snippet: string; created_at: number; rank: number };

/**
 * The `limit` best hits from `offset` on, and whether there are more. Ticket numbers (`#123`) and
 * contacts (name prefix, or an exact e-mail or phone number through the identity table) come first,
 * then messages and notes by relevance (bm25).
 */
export async function search(db: D1Database, tenantId: string, q: string, f: SearchFilter, offset: number, limit: number): Promise<{ hits: SearchHit[]; more: boolean }> {
  const want = offset + limit + 1;
  const params = filterParams(f);
  const statements: { kind: SearchHitKind; stmt: D1PreparedStatement; shown?: string }[] = [];
  const ticket = q.match(/^#?(\d{1,9})$/);
  if (ticket) {
    statements.push({
      kind: 'ticket',
      stmt: db
        .prepare(`SELECT c.id AS conversation_id, c.number, NULL AS seq, '#' || c.number AS snippet, c.created_at, 0 AS rank FROM conversations c WHERE c.number = ?1 AND ${ticketFilter('c.created_at')}`)
        .bind(Number(ticket[1]), tenantId, ...params),
    });
  }
  // The contact's latest ticket stands for them. An e-mail, a phone number or the partner's id only
  // ever matches exactly, through the identity row; a name by its prefix, as a range on the
  // case-blind index (LIKE could not use it).
  const contactHit = `SELECT c.id AS conversation_id, c.number, NULL AS seq, COALESCE(k.name, '') AS snippet, c.created_at, 0 AS rank
    FROM contacts k JOIN conversations c ON c.contact_id = k.id AND c.tenant_id = k.tenant_id`;
  const identity = await exactIdentity(tenantId, q);
  statements.push({
    kind: 'contact',
    shown: identity.shown,
    stmt: db
      .prepare(`${contactHit} WHERE k.tenant_id = ?2 AND k.id IN (SELECT contact_id FROM contact_identities WHERE tenant_id = ?2 AND kind = ?13 AND value = ?14) AND ${ticketFilter('c.created_at')} ORDER BY c.created_at DESC LIMIT ?1`)
      .bind(want, tenantId, ...params, identity.kind, identity.value),
  });
  if (identity.kind === 'external' && q.length >= 2) {
    statements.push({
      kind: 'contact',
      stmt: db
        .prepare(`${contactHit} WHERE k.tenant_id = ?2 AND k.name >= ?13 COLLATE NOCASE AND k.name < ?14 COLLATE NOCASE AND ${ticketFilter('c.created_at')} ORDER BY c.created_at DESC LIMIT ?1`)
        .bind(want, tenantId, ...params, q, `${q}\u{10ffff}`),
    });
  }
  const match = matchExpression(q);
  const textStatement = (table: 'messages' | 'notes', index: string, candidates: number | null) =>
    db
      .prepare(
        // Ranked among the newest CANDIDATES matches: the index walks them in rowid order and stops,
        // where ranking every match of a common word would score hundreds of thousands of rows.
        `SELECT x.conversation_id, c.number, x.seq, x.text_masked AS snippet, x.created_at, f.rank
         FROM (SELECT rowid AS rid, bm25(${index}) AS rank FROM ${index} WHERE ${index} MATCH ?13 ORDER BY rowid DESC LIMIT ${candidates ?? -1}) f
         JOIN ${table} x ON x.rowid = f.rid JOIN conversations c ON c.id = x.conversation_id
         WHERE ${ticketFilter('x.created_at')}
         ORDER BY f.rank LIMIT ?1`,
      )
      .bind(want, tenantId, ...params, match);
  const texts = [['message', 'messages', 'messages_search'], ['note', 'notes', 'notes_search']] as const;
  if (match) for (const [kind, table, index] of texts) statements.push({ kind, stmt: textStatement(table, index, CANDIDATES) });
  if (statements.length === 0) return { hits: [], more: false };
  const results = await db.batch<HitRow>(statements.map((s) => s.stmt));
  // Too few among the newest matches (narrow filters, a team wall): rank every match after all.
  const short = match ? texts.map((t, k) => ({ t, i: statements.length - texts.length + k })).filter(({ i }) => results[i]!.results.length < want) : [];
  if (short.length) {
    const again = await db.batch<HitRow>(short.map(({ t: [, table, index] }) => textStatement(table, index, null)));
    short.forEach(({ i }, k) => (results[i] = again[k]!));
  }
  const words = match ? queryWords(q) : [];
  const first: (SearchHit & { rank: number })[] = [];
  const ranked: (SearchHit & { rank: number })[] = [];
  const seen = new Set<string>();
  results.forEach((r, i) => {
    const { kind, shown } = statements[i]!;
    for (const row of r.results) {
      const hit = { ...toHit(kind, row, words, shown), rank: row.rank };
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

/** How many of the newest matches a word search ranks before it looks further (see search): measured at 1,000,000 messages, 2,000 cost ~65 ms a query. */
const CANDIDATES = 500;

/** Lower case, diacritics off: how the index's tokenizer (unicode61 remove_diacritics) compares words. */
const fold = (w: string): string => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The words of a query as the index matched them; the last one is a prefix. */
function queryWords(q: string): string[] {
  return (q.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12).map(fold);
}

/** Room around the first match in a snippet, in characters. */
const BEFORE = 60;
const LENGTH = 180;

/** A window of a masked text around its first matched word, and the matched words' ranges in it. */
function snippetOf(text: string, words: string[]): { snippet: string; highlights: [number, number][] } {
  const found: [number, number][] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const t = fold(m[0]);
    if (words.some((w, i) => (i === words.length - 1 ? t.startsWith(w) : t === w))) found.push([m.index!, m.index! + m[0].length]);
  }
  let start = Math.max(0, (found[0]?.[0] ?? 0) - BEFORE);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + LENGTH);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  const lead = start > 0 ? '…' : '';
  const snippet = `${lead}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  const highlights = found.filter(([a, b]) => a >= start && b <= end).map(([a, b]): [number, number] => [a - start + lead.length, b - start + lead.length]);
  return { snippet, highlights };
}

/** A row as a hit: a message or note cut to a window with its matched words marked; every text masked. */
function toHit(kind: SearchHitKind, r: HitRow, words: string[], shown?: string): SearchHit {
  const base = { conversationId: r.conversation_id, number: r.number, kind, seq: r.seq, createdAt: r.created_at };
  if (kind === 'message' || kind === 'note') return { ...base, ...snippetOf(r.snippet, words) };
  if (kind === 'ticket') return { ...base, snippet: r.snippet, highlights: [] };
  const name = maskText(r.snippet).text;
  if (!shown) return { ...base, snippet: name, highlights: [] };
  // A contact found by an identity: the name, then the identity as it matched, masked and marked.
  const lead = name ? `${name} · ` : '';
  return { ...base, snippet: `${lead}${shown}`, highlights: [[lead.length, lead.length + shown.length]] };
}

/**
 * The identity `q` names exactly: an e-mail (stored lower-case), a phone number (stored as its
 * tenant's hash, migration 0007), or else the partner's own id for the subscriber (the identity
 * token's `sub`), with what a hit may show of it: a number masked, never in clear.
 */
async function exactIdentity(tenantId: string, q: string): Promise<{ kind: 'email' | 'phone' | 'external'; value: string; shown?: string }> {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(q)) return { kind: 'email', value: q.toLowerCase() };
  const phone = normalisePhone(q);
  if (phone) return { kind: 'phone', value: await phoneHash(tenantId, phone), shown: maskedPhone(q, phone) };
  // A partner may use a number as its id: shown masked like any number.
  return { kind: 'external', value: q, shown: maskText(q).text };
}
