import { ApiError } from '../errors';

/**
 * Browsers send Origin on cross-site calls and on every WebSocket upgrade. A request with no Origin
 * is not from a browser page (the modem app, a partner's backend) and is judged by its token alone.
 * The deployment's own origin (hosted chat page, inbox, demo sites) is always allowed.
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[], requestUrl: string): boolean {
  if (!origin) return true;
  if (origin === new URL(requestUrl).origin) return true;
  return allowed.includes('*') || allowed.includes(origin);
}

/** Throw auth.origin_forbidden unless the request's Origin may act for this tenant. */
export function assertOrigin(req: Request, allowed: readonly string[]): void {
  const origin = req.headers.get('origin') ?? undefined;
  if (!isOriginAllowed(origin, allowed, req.url)) throw new ApiError('auth.origin_forbidden', `Origin ${origin} is not allowed for this brand`);
}
