// Scenario "documents" (issue 13): uploads of 1 MB and 10 MB through `wrangler dev` (every check on
// the way: size cap, magic bytes, the EICAR scan, the JPEG location filter, the R2 write and the
// conversation's record), and the agent's preview time: the signed link and the whole file, as
// the inbox fetches them to draw a thumbnail of a customer's 1 MB photo.
import { randomBytes } from 'node:crypto';
import { call, createSession } from '../lib/http.mjs';
import { summarize } from '../lib/stats.mjs';
import { row } from '../lib/report.mjs';

const MB = 1024 * 1024;
const ROUNDS = { [MB]: 10, [10 * MB]: 4 };
const PREVIEWS = 10;
/** The scenario stops past this, so a slow server cannot stretch the run unbounded. */
const BUDGET_MS = 180_000;

/** A JPEG of about `size` bytes as a phone writes it: Exif with a GPS block, then random scan data. */
function jpeg(size) {
  const exif = Buffer.concat([Buffer.from('Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a\0\0\0\0', 'latin1'), Buffer.from('GPS 56.9496N 24.1052E')]);
  const seg = (marker, body) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  const head = Buffer.concat([Buffer.from([0xff, 0xd8]), seg(0xe1, exif), seg(0xdb, Buffer.alloc(65, 1)), seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0]))]);
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length - 2)), Buffer.from([0xff, 0xd9])]);
}

/** A PDF of exactly `size` bytes: a header, then random bytes. */
function pdf(size) {
  const head = Buffer.from('%PDF-1.4\n');
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

async function upload(url, token, bytes, type, clientId) {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/widget/files?clientId=${clientId}&index=0&name=bench`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: bytes, signal: AbortSignal.timeout(60_000) });
  const body = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`upload ${clientId}: ${res.status} ${JSON.stringify(body)}`);
  return { ms, id: body.attachment.id };
}

/** Time uploads of 1 MB and 10 MB (PDF and JPEG), then the agent's preview of a 1 MB photo. */
export async function documents({ url, cookies }) {
  const problems = [];
  const deadline = Date.now() + BUDGET_MS;
  const times = {};
  let photo = null;
  for (const [size, rounds] of Object.entries(ROUNDS).map(([s, r]) => [Number(s), r])) {
    for (const [type, make] of [['application/pdf', pdf], ['image/jpeg', jpeg]]) {
      const key = `${type === 'image/jpeg' ? 'JPEG' : 'PDF'} ${size / MB} MB`;
      times[key] = [];
      for (let i = 0; i < rounds && Date.now() < deadline; i++) {
        const s = await createSession(url, { channel: 'web' });
        try {
          const r = await upload(url, s.socketToken, make(size), type, `bench-${i}`);
          times[key].push(r.ms);
          if (!photo && type === 'image/jpeg' && size === MB) photo = { conversationId: s.conversationId, id: r.id };
        } catch (err) {
          problems.push(err.message);
        }
      }
    }
  }
  // The agent's preview: the signed link, then the file, as <sb-attachment> loads it. A customer's
  // file is the agent's to see without the message being sent (uploads are visible to agents).
  const preview = [];
  for (let i = 0; photo && i < PREVIEWS && Date.now() < deadline; i++) {
    const t0 = performance.now();
    const { body } = await call(url, 'GET', `/v1/agent/conversations/${photo.conversationId}/files/${photo.id}/link`, { cookie: cookies.admin });
    const res = await fetch(body.url, { headers: { cookie: cookies.admin } });
    const bytes = (await res.arrayBuffer()).byteLength;
    preview.push(performance.now() - t0);
    if (res.status !== 200 || bytes < MB * 0.9) problems.push(`preview ${i}: ${res.status}, ${bytes} bytes`);
  }
  if (Date.now() > deadline) problems.push(`stopped at the ${BUDGET_MS / 1000} s budget`);
  const rows = [];
  const metrics = {};
  for (const [key, list] of Object.entries(times)) {
    const s = summarize(list);
    metrics[key] = s;
    const mb = Number(key.split(' ')[1]);
    rows.push(row(`upload ${key} p50 (n=${list.length})`, s.p50, { unit: 'ms' }));
    rows.push(row(`upload ${key} max · throughput at p50`, `${s.max.toFixed(0)} ms · ${((mb / s.p50) * 1000).toFixed(1)} MB/s`));
  }
  const p = summarize(preview);
  metrics.agentPreview1MbJpeg = p;
  rows.push(row(`agent preview of a 1 MB photo (link + file) p50 (n=${preview.length})`, p.p50, { unit: 'ms' }));
  rows.push(row('agent preview p99', p.p99, { unit: 'ms' }));
  rows.push(row('problems (refused uploads, failed previews)', problems.length, { target: '0', ok: problems.length === 0 }));
  return { metrics, problems, rows };
}
