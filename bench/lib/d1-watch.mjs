// Watches how far D1 has caught up with a set of conversations, from the local state a
// `wrangler dev --persist-to` keeps on disk: one long-lived `sqlite3 -readonly` shell asked
// "highest projected seq per conversation" every `everyMs`. Each query is a fresh read transaction,
// so it sees every batch the server committed before it; a message's projection lag is the time of
// the first poll that saw its seq minus its ack, so it is exact to within one poll interval.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** The local D1 file under `persistTo` that holds a `messages` table, or null. */
export function findD1File(persistTo) {
  const dir = join(persistTo, 'v3/d1/miniflare-D1DatabaseObject');
  if (!existsSync(dir)) return null;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.sqlite'))) {
    const out = execFileSync('sqlite3', ['-readonly', join(dir, f), "SELECT count(*) FROM sqlite_master WHERE name = 'messages'"], { encoding: 'utf8' });
    if (out.trim() === '1') return join(dir, f);
  }
  return null;
}

/** Bytes on disk of the D1 file and its WAL. */
export function d1Bytes(file) {
  let n = 0;
  for (const f of [file, `${file}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

const SENTINEL = '__d1_watch_end__';

/** A sqlite3 shell kept open: `query(sql)` resolves with rows as arrays of strings ('|'-separated). */
export function sqliteShell(file) {
  const child = spawn('sqlite3', ['-readonly', '-batch', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.write('.timeout 3000\n.mode list\n.separator |\n');
  let buf = '';
  let waiting = null;
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => {
    buf += d;
    const end = buf.indexOf(`${SENTINEL}\n`);
    if (end >= 0 && waiting) {
      const text = buf.slice(0, end);
      buf = buf.slice(end + SENTINEL.length + 1);
      const w = waiting;
      waiting = null;
      w.resolve(text.split('\n').filter(Boolean).map((l) => l.split('|')));
    }
  });
  return {
    query(sql) {
      if (waiting) return Promise.reject(new Error('sqlite shell busy'));
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        err = '';
        child.stdin.write(`${sql};\nSELECT '${SENTINEL}';\n`);
      });
    },
    lastError: () => err,
    close() {
      child.stdin.end();
      child.kill();
    },
  };
}

/**
 * Poll D1 for the highest projected seq of each of `conversationIds` (ours, checked to be safe in
 * SQL) every `everyMs`; `onPoll(maxSeqByConv, tNs)` gets each answer with the hrtime it was taken at.
 */
export function watchProjection(file, conversationIds, onPoll, { everyMs = 250 } = {}) {
  for (const id of conversationIds) if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`unexpected conversation id ${id}`);
  const sql = `SELECT conversation_id, MAX(seq) FROM messages WHERE conversation_id IN (${conversationIds.map((id) => `'${id}'`).join(',')}) GROUP BY conversation_id`;
  const shell = sqliteShell(file);
  let stopped = false;
  const stats = { polls: 0, failures: 0, queryMs: [] };
  const loop = (async () => {
    while (!stopped) {
      const t0 = process.hrtime.bigint();
      try {
        const rows = await shell.query(sql);
        // Taken at the start: the read transaction saw the file as it was then or later.
        onPoll(new Map(rows.map(([id, seq]) => [id, Number(seq)])), t0);
        stats.polls++;
        stats.queryMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        stats.failures++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stats,
    async stop() {
      stopped = true;
      await loop;
      shell.close();
    },
  };
}
