import type { ComplaintSettings } from '../../protocol';

/**
 * The formal answer to a complaint as a printable HTML page, built from the tenant's template.
 * Everything in it is escaped (the letterhead too: a template is data, not markup), so the page
 * holds no markup of anyone's making; its one stylesheet is fixed, so its CSP names it by hash.
 */

/** The letter's fixed stylesheet: readable on screen, A4 with margins on paper. */
export const LETTER_CSS =
  'body{font:16px/1.5 Georgia,serif;color:#111;max-width:42em;margin:2em auto;padding:0 1em}' +
  'header{border-bottom:2px solid #111;margin-bottom:1.5em;white-space:pre-line}' +
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}' +
  '.body{white-space:pre-wrap}footer{margin-top:2em;white-space:pre-line}' +
  '@page{size:A4;margin:2cm}@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}';

/** What goes into a letter. */
export interface LetterInput {
  tenantName: string;
  settings: ComplaintSettings;
  number: string;
  subject: string;
  receivedAt: number;
  dueAt: number;
  answeredAt: number;
  body: string;
  author: string;
  approver: string;
}

/** Text made safe for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A date as a letter writes it, in UTC so the stored page never depends on the server's zone. */
function day(ms: number): string {
  return new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The letter's whole HTML page. The same input always gives the same bytes (its hash is recorded). */
export function renderLetter(l: LetterInput): string {
  const e = escapeHtml;
  const head = l.settings.letterhead.trim() || l.tenantName;
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${e(`Answer to complaint ${l.number}`)}</title><style>${LETTER_CSS}</style></head><body>` +
    `<header>${e(head)}</header>` +
    `<h1>${e(`Answer to your complaint ${l.number}`)}</h1>` +
    '<dl>' +
    `<dt>Register number</dt><dd>${e(l.number)}</dd>` +
    `<dt>Subject</dt><dd>${e(l.subject)}</dd>` +
    `<dt>Received</dt><dd>${e(day(l.receivedAt))}</dd>` +
    `<dt>Answer due</dt><dd>${e(day(l.dueAt))}</dd>` +
    `<dt>Answered</dt><dd>${e(day(l.answeredAt))}</dd>` +
    '</dl>' +
    `<div class="body">${e(l.body)}</div>` +
    `<footer>${e(l.settings.closing)}\n${e(l.author)}\n${e(l.settings.senderName || l.tenantName)}\nApproved by ${e(l.approver)}</footer>` +
    '</body></html>'
  );
}

/** SHA-256 of the letter's UTF-8 bytes, hex: what D1 records and the server checks when serving. */
export async function letterHash(html: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(html)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The CSP source naming the letter's stylesheet by its hash: no other style may apply. */
export async function letterStyleSource(): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(LETTER_CSS)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}
