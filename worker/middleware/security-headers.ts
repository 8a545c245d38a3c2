import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';

/**
 * The Content-Security-Policy of a page. Both pages load only their own script and stylesheet from
 * /sb/; Lit's component styles are constructed stylesheets (adoptedStyleSheets), which style-src
 * does not govern, so no 'unsafe-inline' is needed. connect-src names ws(s) of this host explicitly
 * because older Safari does not count WebSockets as 'self'.
 */
export function pageCsp(requestUrl: string, embeddable: boolean): string {
  const url = new URL(requestUrl);
  const ws = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // The inbox is never framed (clickjacking an agent into taking or revealing); the hosted chat
    // page is opened in app WebViews and may be framed by partner sites, so it names no ancestors.
    ...(embeddable ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

/**
 * Middleware: headers every Worker response carries (no MIME sniffing, no referrer leaking
 * conversation URLs), plus a CSP on the HTML pages /inbox and /chat.
 */
export function securityHeaders() {
  return createMiddleware<AppEnv>(async function securityHeaders(c, next) {
    await next();
    // A socket upgrade's 101 carries no document: leave it exactly as the object made it.
    if (c.res.status === 101) return;
    const set: Record<string, string> = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    const path = new URL(c.req.url).pathname;
    const page = /^\/inbox(\.html|\/|$)/.test(path) ? 'inbox' : /^\/chat(\.html|\/|$)/.test(path) ? 'chat' : null;
    if (page && (c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      set['content-security-policy'] = pageCsp(c.req.url, page === 'chat');
      // For browsers that predate frame-ancestors.
      if (page === 'inbox') set['x-frame-options'] = 'DENY';
    }
    let res = c.res;
    try {
      for (const [k, v] of Object.entries(set)) res.headers.set(k, v);
    } catch {
      // Responses fetched from ASSETS or a Durable Object have immutable headers: copy once.
      res = new Response(res.body, res);
      for (const [k, v] of Object.entries(set)) res.headers.set(k, v);
      c.res = res;
    }
  });
}
