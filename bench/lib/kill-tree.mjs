// Kill -9 one process we spawned and everything under it, found by the pid tree and its own
// process group, never by name: other people run `wrangler dev` and workerd on the same machine.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Every live process as { pid, ppid, pgid, comm }, from /proc (or `ps` where there is none). */
function processTable() {
  try {
    const rows = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      } catch {
        continue; // gone between readdir and read
      }
      // comm is in parentheses and may hold spaces; the fields after the last ')' are fixed.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const [state, ppid, pgid] = stat.slice(close + 2).split(' ');
      if (state === 'Z') continue; // a zombie holds no port and no file
      rows.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), comm });
    }
    return rows;
  } catch {
    return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,pgid=,comm='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([pid, ppid, pgid, ...comm]) => ({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), comm: comm.join(' ') }));
  }
}

/** `rootPid` and its descendants, plus the members of its process group (a detached spawn leads one). */
export function processTree(rootPid) {
  const table = processTable();
  const children = new Map();
  for (const p of table) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p);
  }
  const found = new Map();
  const root = table.find((p) => p.pid === rootPid);
  if (root) found.set(root.pid, root);
  const stack = [rootPid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      if (found.has(c.pid)) continue;
      found.set(c.pid, c);
      stack.push(c.pid);
    }
  }
  // Orphans re-parented to init after an earlier death still carry our group id.
  for (const p of table) if (p.pgid === rootPid && !found.has(p.pid)) found.set(p.pid, p);
  return [...found.values()];
}

/** Alive and not a zombie (a zombie waits for its parent to reap it; it holds no port or file). */
const alive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: signal 0 is all we can tell
  }
};

/**
 * SIGKILL `rootPid`'s whole tree and process group at once, then wait (bounded) until none of
 * them is alive. Returns { killed: [{ pid, comm }], survivors: [pid] }.
 */
export async function killTree(rootPid, { waitMs = 10_000 } = {}) {
  const tree = processTree(rootPid);
  try {
    process.kill(-rootPid, 'SIGKILL');
  } catch {}
  for (const p of tree) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {}
  }
  const deadline = Date.now() + waitMs;
  let survivors = tree.map((p) => p.pid).filter(alive);
  while (survivors.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    survivors = survivors.filter(alive);
  }
  return { killed: tree.map(({ pid, comm }) => ({ pid, comm })), survivors };
}
