// Watchers for the XSS corpus: whatever a payload could do in a page (open a dialog, add an element,
// fetch a URL, trip the CSP) is recorded here, so a test can assert that nothing happened.
import type { Page } from 'playwright-core';
import { SignJWT } from 'jose';
import { baseUrl } from '../../e2e/harness';

/** What broke through on one page, by kind. */
export interface Breach {
  dialogs: string[];
  requests: string[];
  cspViolations: string[];
}

/**
 * Watch a page for a payload's side effects: dialogs (dismissed and recorded), requests to the
 * corpus' markers (`pwn`, an `<img src=x>`), and CSP violations, which mean something tried to run.
 */
export async function watch(page: Page): Promise<Breach> {
  const breach: Breach = { dialogs: [], requests: [], cspViolations: [] };
  page.on('dialog', (d) => {
    breach.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/pwn/i.test(r.url()) || url.pathname === '/x' || url.pathname.endsWith('/x')) breach.requests.push(r.url());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __sbCsp: string[] };
    w.__sbCsp = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        // Where it happened: the element inside its shadow root, so a report says which part of the UI.
        const at = e.composedPath()[0];
        const where = at instanceof Element ? `${at.tagName.toLowerCase()}.${[...at.classList].join('.')} in ${(at.parentElement?.className || at.parentNode?.nodeName) ?? ''}` : '';
        w.__sbCsp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample} @ ${where}`.trim());
      },
      true,
    );
  });
  return breach;
}

/** CSP violations the page saw so far (merged into the breach record): the product itself causes none. */
export async function collectCsp(page: Page, breach: Breach): Promise<Breach> {
  const seen = await page.evaluate(() => (window as unknown as { __sbCsp?: string[] }).__sbCsp ?? []);
  breach.cspViolations = seen;
  return breach;
}

/**
 * Every element on the page, shadow roots and same-origin frames included, that a payload could
 * have put there: event-handler attributes, scripts not served by us, frames and plug-ins,
 * javascript: URLs, the corpus' `pwn` ids and classes, and markup that only a parser would make
 * inside a component (style, link, meta, base, math, template, noscript, title).
 */
export function injectedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const ALWAYS = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'marquee', 'applet']);
    const IN_COMPONENT = new Set(['script', 'style', 'link', 'meta', 'base', 'math', 'template', 'noscript', 'title', 'video', 'audio', 'source', 'marquee']);
    const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc', 'background', 'poster'];
    const describe = (el: Element) => el.outerHTML.slice(0, 160);
    const visit = (root: Document | ShadowRoot, inShadow: boolean) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const tag = el.tagName.toLowerCase();
        for (const a of Array.from(el.attributes)) {
          if (/^on/i.test(a.name)) found.push(`handler ${a.name}: ${describe(el)}`);
          if (URL_ATTRS.includes(a.name.toLowerCase()) && /^\s*(javascript|data:text\/html|vbscript)/i.test(a.value)) found.push(`url ${a.name}: ${describe(el)}`);
        }
        if (el.id === 'pwn' || el.classList.contains('pwn')) found.push(`marker: ${describe(el)}`);
        if (ALWAYS.has(tag)) found.push(`element: ${describe(el)}`);
        if (tag === 'script') {
          const src = el.getAttribute('src');
          if (!src || new URL(src, location.href).origin !== location.origin) found.push(`script: ${describe(el)}`);
        }
        if (tag === 'base' || (tag === 'meta' && el.getAttribute('http-equiv')?.toLowerCase() === 'refresh')) found.push(`element: ${describe(el)}`);
        // Our components never render these (their styles are adopted sheets): only a parser would.
        if (inShadow && IN_COMPONENT.has(tag)) found.push(`in component: ${describe(el)}`);
        // User text sits in text nodes: any element at all inside a rendered text is injected, but for
        // the one the widget makes of an http(s) URL in a message (widget/core/links.ts): exactly
        // href, target=_blank and rel="noopener noreferrer", and nothing but text inside.
        const productLink =
          tag === 'a' && el.attributes.length === 3 && el.getAttribute('target') === '_blank' && el.getAttribute('rel') === 'noopener noreferrer' &&
          /^https?:\/\/[^\s]+$/i.test(el.getAttribute('href') ?? '') && el.children.length === 0;
        if (inShadow && !productLink && !el.matches('.muted') && el.parentElement?.matches('.text, .author, .last, .name, .why, .banner strong')) found.push(`inside text: ${describe(el)}`);
        if (el.shadowRoot) visit(el.shadowRoot, true);
        if (tag === 'iframe') {
          try {
            const doc = (el as HTMLIFrameElement).contentDocument;
            if (doc) visit(doc, false);
          } catch {
            // Cross-origin frame: already counted as an element.
          }
        }
      }
    };
    visit(document, false);
    return found;
  });
}

/** An identity token for a demo brand, with any profile claims a partner might put in it. */
export function identityTokenWith(secret: string, sub: string, claims: { name?: string; email?: string }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('10m').sign(new TextEncoder().encode(secret));
}

/** POST a JSON body to the server from the test (no Origin: not a browser) and return status and body. */
export async function postJson<T = unknown>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}
