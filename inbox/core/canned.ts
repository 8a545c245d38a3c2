import type { CannedReply, CannedResponse } from '../../protocol';
import { api } from './api';

let cached: Promise<CannedReply[]> | null = null;

/** The tenant's canned replies, fetched once per page load (and again after a failure). */
export function loadCanned(): Promise<CannedReply[]> {
  cached ??= api<CannedResponse>('/v1/agent/canned').then(
    (r) => r.replies,
    (err: unknown) => {
      cached = null;
      throw err;
    },
  );
  return cached;
}

/** Replies whose shortcut or title matches what follows the `/`, best matches first. */
export function filterCanned(replies: readonly CannedReply[], query: string, max = 8): CannedReply[] {
  const q = query.toLowerCase();
  const scored = replies
    .map((r) => {
      const s = r.shortcut.toLowerCase();
      const t = r.title.toLowerCase();
      const score = s.startsWith(q) ? 0 : s.includes(q) ? 1 : t.includes(q) ? 2 : r.text.toLowerCase().includes(q) ? 3 : -1;
      return { r, score };
    })
    .filter((x) => x.score >= 0);
  scored.sort((a, b) => a.score - b.score || a.r.shortcut.localeCompare(b.r.shortcut));
  return scored.slice(0, max).map((x) => x.r);
}
