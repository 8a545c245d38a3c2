import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { findLetter } from '../db/complaint-letters';
import { ApiError } from '../errors';
import { letterHash, letterStyleSource } from '../complaints/letter';
import { verifyLetterSig } from '../complaints/letter-link';

/**
 * GET /v1/letters/:id?t=<tenant>&sig=<hmac>: the answer to a complaint, as it was issued. Opened by
 * its signed link only; the stored hash is checked on every view, so a page changed behind the
 * API's back is refused rather than shown. Served under a CSP that allows nothing but its own
 * stylesheet (by hash): no script, no images, no forms, no framing.
 */
export const letterRoutes = new Hono<AppEnv>();

letterRoutes.get('/:id', async (c) => {
  const id = c.req.param('id');
  const tenantId = c.req.query('t') ?? '';
  const sig = c.req.query('sig') ?? '';
  if (!tenantId || !sig || !(await verifyLetterSig(c.env.SOCKET_SECRET, tenantId, id, sig))) throw new ApiError('letter.link_invalid', 'This link is not valid');
  const letter = await findLetter(c.env.DB, tenantId, id);
  if (!letter) throw new ApiError('letter.not_found', 'No such letter');
  if ((await letterHash(letter.html)) !== letter.sha256) {
    console.error(`letter ${id}: stored hash does not match its page`);
    throw new ApiError('letter.corrupt', 'This letter cannot be shown: it does not match its record');
  }
  return c.body(letter.html, 200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src ${await letterStyleSource()}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    'cache-control': 'private, no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'x-letter-sha256': letter.sha256,
  });
});
