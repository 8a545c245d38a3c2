// CPU time of a server we spawned: user + system of every process in its tree (wrangler and its
// workerd), read from /proc/<pid>/stat. Sampled before and after a load step, divided by wall time,
// it is the server's share of the machine; divided by messages, its cost per message.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { processTree } from './kill-tree.mjs';

let ticks = null;
/** Clock ticks per second (USER_HZ), almost always 100. */
function clockTicks() {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** CPU milliseconds (user + system) used so far by `rootPid` and its descendants; null without /proc. */
export function treeCpuMs(rootPid) {
  let total = 0;
  let seen = 0;
  for (const p of processTree(rootPid)) {
    let stat;
    try {
      stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    } catch {
      continue; // exited in between
    }
    // Fields after the ')' of comm: state(3) … utime(14) stime(15), so indexes 11 and 12 here.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(f[11]) + Number(f[12]);
    seen++;
  }
  return seen ? (total * 1000) / clockTicks() : null;
}

/** The processes counted, for the report: [{ pid, comm }]. */
export function treeMembers(rootPid) {
  return processTree(rootPid).map(({ pid, comm }) => ({ pid, comm }));
}
