// Finding web links in a chat message, as a pure function so it is tested without a browser.
// The panel turns the link segments into <a> elements through Lit templates; nothing here ever
// becomes HTML.

/** A piece of a message: plain text, or a link whose `href` is always http: or https:. */
export type Segment = { text: string; href?: undefined } | { text: string; href: string };

// Only http(s) URLs are ever matched, so javascript:, data:, vbscript: and friends stay text.
// A URL ends at whitespace or at characters that cannot be in one unescaped (<, >, ", `).
const URL_RE = /https?:\/\/[^\s<>"`]+/gi;
// Punctuation that usually closes the sentence, not the URL ("see https://x.com/a." or "(https://x.com)").
const TRAILING = /[.,;:!?'’”»…*_~]+$/;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Drop trailing punctuation, and closing brackets that have no opener inside the URL. */
function trimUrl(url: string): string {
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    const last = url.slice(-1);
    const open = PAIRS[last];
    if (open && url.split(open).length < url.split(last).length) url = url.slice(0, -1);
    if (url === before) return url;
  }
}

/** The href to use for a matched URL, or null when it does not parse as an http(s) URL with a host. */
function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.href : null;
  } catch {
    return null;
  }
}

/** Split a message into text and http(s) link segments; joined, the segments' text is the message. */
export function splitLinks(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    const start = m.index ?? 0;
    // "xhttp://…" is one word, not a link. (After other characters it is: in "javascript:http://a"
    // only the http part links, and its href is http: all the same.)
    if (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1]!)) continue;
    const url = trimUrl(m[0]);
    const href = safeHref(url);
    if (!href || url.length <= m[0].indexOf('//') + 2) continue;
    if (start > at) out.push({ text: text.slice(at, start) });
    out.push({ text: url, href });
    at = start + url.length;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at) });
  return out;
}
