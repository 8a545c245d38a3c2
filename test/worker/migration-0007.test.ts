// Migration 0007 rebuilds contact_identities so a kind may be 'phone'. Here the table is put back
// as 0001 made it, filled with identities of every old kind made by real sessions, and 0007's own
// statements are run again: every row must survive, the index come back, the CHECK take 'phone'
// and still refuse anything else. (This file's D1 is its own, so rebuilding the table harms nobody.)
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR, identityToken, seed, session } from '../helpers';

type Row = { tenant_id: string; kind: string; value: string; contact_id: string; created_at: number };

/** The statements of one migration, as the test pool read them from migrations/. */
function migration(prefix: string): string[] {
  const m = env.TEST_MIGRATIONS.find((x) => x.name.startsWith(prefix));
  if (!m) throw new Error(`no migration ${prefix}`);
  return m.queries;
}

const all = async (): Promise<Row[]> =>
  (await env.DB.prepare('SELECT tenant_id, kind, value, contact_id, created_at FROM contact_identities ORDER BY tenant_id, kind, value').all<Row>()).results;

const insert = (r: Pick<Row, 'kind' | 'value' | 'contact_id'>) =>
  env.DB.prepare('INSERT INTO contact_identities (tenant_id, kind, value, contact_id, created_at) VALUES (?, ?, ?, ?, ?)').bind(OPERATOR.id, r.kind, r.value, r.contact_id, Date.now()).run();

let before: Row[];

beforeAll(async () => {
  await seed();
  // An anonymous device (visitor) and a signed subscriber with an e-mail (external, visitor, email).
  await session(OPERATOR.key, 'web');
  await session(OPERATOR.key, 'app', { identityToken: await identityToken(OPERATOR.identitySecret, 'sub-migration', { email: 'kept@example.com' }) });
  const rows = await all();
  // Back to the table as 0001 made it, holding the same rows.
  const old = migration('0001_').filter((q) => /^CREATE (TABLE|INDEX) contact_identities/.test(q.trim()));
  expect(old).toHaveLength(2);
  await env.DB.batch([env.DB.prepare('DROP TABLE contact_identities'), ...old.map((q) => env.DB.prepare(q))]);
  await env.DB.batch(rows.map((r) => env.DB.prepare('INSERT INTO contact_identities (tenant_id, kind, value, contact_id, created_at) VALUES (?, ?, ?, ?, ?)').bind(r.tenant_id, r.kind, r.value, r.contact_id, r.created_at)));
  await expect(insert({ kind: 'phone', value: 'x', contact_id: rows[0]!.contact_id })).rejects.toThrow(/CHECK/);
  before = await all();
  await env.DB.batch(migration('0007_').map((q) => env.DB.prepare(q)));
});

describe('migration 0007 (phone identities)', () => {
  it('keeps every identity of every old kind', async () => {
    expect(new Set(before.map((r) => r.kind))).toEqual(new Set(['external', 'visitor', 'email']));
    expect(await all()).toEqual(before);
  });

  it('brings back the index by contact and the primary key', async () => {
    const index = await env.DB.prepare("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name = 'contact_identities_by_contact'").first<{ tbl_name: string; sql: string }>();
    expect(index).toMatchObject({ tbl_name: 'contact_identities' });
    const leftover = await env.DB.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'contact_identities_new'").first<{ n: number }>();
    expect(leftover!.n).toBe(0);
    await expect(insert(before[0]!)).rejects.toThrow(/UNIQUE|PRIMARY/);
  });

  it("takes 'phone' and still refuses a kind it does not know", async () => {
    const contact = before[0]!.contact_id;
    await insert({ kind: 'phone', value: 'a'.repeat(64), contact_id: contact });
    await expect(insert({ kind: 'fax', value: 'b', contact_id: contact })).rejects.toThrow(/CHECK/);
    await expect(insert({ kind: 'phone', value: 'c'.repeat(64), contact_id: 'no-such-contact' })).rejects.toThrow(/FOREIGN KEY/);
  });
});
