// Read the messages D1 holds, straight from the local state a `wrangler dev --persist-to` keeps on
// disk, while that server runs. The sqlite3 shell opens the file read-only (SQLite's own locking
// makes that safe next to the writer) and answers in milliseconds, so "how long until D1 caught up"
// can be timed to a few hundred ms; `wrangler d1 execute --local` starts a whole runtime per query
// (seconds) and is only the fallback when there is no sqlite3 on the machine.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../../scripts/server.mjs';

const run = promisify(execFile);
const wrangler = join(root, 'node_modules/.bin/wrangler');
const wranglerEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

/** The sqlite3 shell on PATH, or null. */
async function findSqlite() {
  try {
    await run('sqlite3', ['-version']);
    return 'sqlite3';
  } catch {
    return null;
  }
}

/** IDs are ours (ULID/UUID-like), but they still go through a strict check before landing in SQL. */
function quoteIds(ids) {
  for (const id of ids) if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`unexpected conversation id ${JSON.stringify(id)}`);
  return ids.map((id) => `'${id}'`).join(',');
}

/**
 * A reader of the `messages` table of the D1 database under `persistTo`.
 * `messages(ids)` resolves with [{ conversationId, seq, clientId, text, authorRole }].
 */
export async function localD1(persistTo) {
  const sqlite = await findSqlite();
  const dir = join(persistTo, 'v3/d1/miniflare-D1DatabaseObject');
  let file = null;
  const findFile = async () => {
    if (file) return file;
    if (!existsSync(dir)) return null;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.sqlite'))) {
      const { stdout } = await run(sqlite, ['-readonly', join(dir, f), "SELECT count(*) FROM sqlite_master WHERE name = 'messages'"]);
      if (stdout.trim() === '1') return (file = join(dir, f));
    }
    return null;
  };
  const select = (ids) => `SELECT conversation_id AS conversationId, seq, client_id AS clientId, text, author_role AS authorRole FROM messages WHERE conversation_id IN (${quoteIds(ids)}) ORDER BY conversation_id, seq`;

  if (sqlite) {
    return {
      how: `sqlite3 -readonly on ${dir}/*.sqlite`,
      async messages(ids) {
        const f = await findFile();
        if (!f) throw new Error(`no D1 database with a messages table under ${dir}`);
        // A busy timeout rides out the moment the writer checkpoints.
        const { stdout } = await run(sqlite, ['-readonly', '-json', '-cmd', '.timeout 3000', f, select(ids)], { maxBuffer: 64 << 20 });
        return stdout.trim() ? JSON.parse(stdout) : [];
      },
    };
  }
  return {
    how: 'wrangler d1 execute --local --persist-to (no sqlite3 on PATH; each read takes seconds)',
    async messages(ids) {
      const { stdout } = await run(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--json', '--command', select(ids)], { cwd: root, env: wranglerEnv, maxBuffer: 64 << 20 });
      return JSON.parse(stdout)[0]?.results ?? [];
    },
  };
}
