import type { Env } from '../env';

/**
 * The scanning hook every upload passes before it is stored. The default refuses the EICAR test
 * signature (so the refusal path is tested end to end); a real scanner is plugged in as a service
 * binding named SCANNER in wrangler.toml (a Worker in front of ClamAV or a vendor's API), which
 * receives the bytes as `POST /scan` and answers `{ "clean": true }` or `{ "clean": false, "reason": "…" }`.
 */
export type ScanVerdict = { clean: true } | { clean: false; reason: string };

/** A scanner: judges the bytes of one file. */
export type Scanner = (bytes: Uint8Array, meta: { tenantId: string; type: string }) => Promise<ScanVerdict>;

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** The default scanner: the EICAR test signature anywhere in the file. */
export const eicarScanner: Scanner = async (bytes) => (indexOf(bytes, new TextEncoder().encode(EICAR)) >= 0 ? { clean: false, reason: 'EICAR test signature' } : { clean: true });

/** A scanner reached over a service binding; it must answer, or the upload is refused (fail closed). */
export function serviceScanner(service: Fetcher): Scanner {
  return async (bytes, meta) => {
    const res = await service.fetch('https://scanner/scan', { method: 'POST', body: bytes, headers: { 'content-type': meta.type, 'x-tenant-id': meta.tenantId } });
    if (!res.ok) return { clean: false, reason: `scanner answered ${res.status}` };
    const body = (await res.json()) as { clean?: unknown; reason?: unknown };
    return body.clean === true ? { clean: true } : { clean: false, reason: typeof body.reason === 'string' ? body.reason : 'refused by the scanner' };
  };
}

/** The scanners in force: EICAR always, then the SCANNER binding when there is one. */
export function scannersOf(env: Pick<Env, 'SCANNER'>): Scanner[] {
  return env.SCANNER ? [eicarScanner, serviceScanner(env.SCANNER)] : [eicarScanner];
}

/** Run every scanner; the first refusal wins. */
export async function scan(scanners: readonly Scanner[], bytes: Uint8Array, meta: { tenantId: string; type: string }): Promise<ScanVerdict> {
  for (const s of scanners) {
    const v = await s(bytes, meta);
    if (!v.clean) return v;
  }
  return { clean: true };
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  outer: for (let i = hay.indexOf(first!); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first!, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
