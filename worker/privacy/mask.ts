/**
 * Phone numbers, bank card numbers and passport/document numbers are masked wherever agents see
 * text, keeping the last two digits so an agent can still say "the number ending in 67". Revealing
 * is a separate, audited action. The rules are deliberately wide: a false mask costs a click, a
 * leak costs trust.
 *
 * How it decides:
 * - The text is first read through a normalised lens, one character per code point so every match
 *   maps back to the customer's own characters: NFKC (fullwidth, mathematical digits), every Unicode
 *   decimal digit (`\p{Nd}`: Arabic-Indic, Devanagari…) read as its value, whitespace of any kind
 *   (NBSP, thin spaces) as a space, dashes of any kind as "-", and invisible characters (zero-width
 *   spaces, soft hyphens, emoji keycap marks) as nothing that breaks a number.
 * - A number is digits joined by up to three separators at a time: space, - . / _ brackets №.
 *   Seven or more digits are masked: that covers national and international phone formats (with
 *   +, 00 or 8 prefixes), bank cards of 13–19 digits whether or not they pass Luhn (masking every
 *   long number is wider than masking only Luhn-valid ones), "4510 123456" and "4510№123456".
 * - After a document word (паспорт…, серия, passport, series) the series and the number are masked
 *   even when words stand between them ("серия 4510 номер 123456"), and so is a lone 4–6 digit
 *   group. An upper-case series glued to six digits ("XY 654321") is a document number too.
 * - Left readable on purpose, because agents need them and they identify nobody: short numbers
 *   (amounts, ticket numbers, error codes under seven digits), times (":" never joins digits),
 *   dates written as YYYY-MM-DD or DD.MM.YYYY (any of - . /), amounts grouped in thousands next to
 *   a currency ("1 250 000 ₽"), hex codes ("0x80070005") and UUIDs (our own ids, in event data).
 * Output keeps the customer's characters and length (in code points); only digits of a masked
 * number (and the letters of a short document series) become "•".
 */

const BULLET = '•';
const MIN_DIGITS = 7;
const KEEP = 2;

const DECIMAL_DIGIT = /\p{Nd}/u;
const DASH = /[‐‑‒–—―−﹘﹣－]/u;
// Marks and format characters are invisible: they must not split "8\u200B916…" or keycap emoji.
const INVISIBLE = /[\p{Mn}\p{Me}\p{Cf}]/u;
const INVISIBLE_MARK = '\u200b';
// Stand-in for positions that must not join a number (dates, ids, hex codes) in the scanned copy.
const SHIELD = 'x';

const NUMBER = /\+?\d(?:\u200b*(?:[ \-./_()[\]{}№]\u200b*){0,3}\d)*/g;
const DATE =
  /(?<![\d+][ \-./_]?)(?:(?:19|20)\d\d([\-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])([\-./])(?:0?[1-9]|1[0-2])\2(?:19|20)\d\d)(?![\d+]|[\-./_]\d)/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HEX = /(?<![\p{L}\p{N}])0x[0-9a-f]+/giu;
/** A complaint's register number (C-2026-000123, protocol/complaints.ts) is ours, not a phone number. */
const COMPLAINT_NUMBER = /(?<![\p{L}\p{N}])C-\d{4}-\d{6}(?!\p{N})/gu;
const THOUSANDS = /^\d{1,3}(?:[ .]\d{3})+$/;
const CURRENCY_AFTER = /^ ?(?:₽|руб|р\.|rub|rur|usd|eur|\$|€|£|₸|тг|грн|₴|сум)/iu;
const CURRENCY_BEFORE = /[$€£₽₸₴] ?$/u;
const DOC_WORD = '(?:паспорт\\p{L}*|passport|сери[яиюей]|series|сер\\.)';
// Series and number with words between them: "серия 4510 номер 123456", "passport 45 10 no. 123456".
const DOC_SERIES_NUMBER = new RegExp(`${DOC_WORD}[^\\d\\n]{0,20}?(?<!\\d)(\\d\\d ?\\d\\d)(?!\\d)[^\\d\\n]{0,20}?(?<!\\d)(\\d{6})(?!\\d)`, 'giud');
// A lone group after a document word: "номер паспорта 123456", "серия 4510".
const DOC_GROUP = new RegExp(`${DOC_WORD}[^\\d\\n]{0,20}?(?<!\\d)(\\d{4,6}|\\d\\d \\d\\d)(?!\\d)`, 'giud');
// Upper-case series glued to six digits: "XY 654321", "AB123456". Longer numbers are caught above.
const DOC_LETTERED = /(?<![\p{L}\p{N}])(\p{Lu}{1,3})[ \-]?\d{6}(?![\p{L}\p{N}])/gu;

const DIGITISH = /\p{N}/gu;

const digitValues = new Map<number, string>();

/** The value of a Unicode decimal digit: digits are encoded in runs of ten starting at zero. */
function digitValue(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x30 && cp <= 0x39) return ch;
  let v = digitValues.get(cp);
  if (v === undefined) {
    let zero = cp;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
    v = String((cp - zero) % 10);
    digitValues.set(cp, v);
  }
  return v;
}

// Texts use few distinct characters; remembering their lens makes long texts cheap. Capped so a
// text of many rare characters cannot grow it without bound.
const lensCache = new Map<string, string>();

/** One normalised UTF-16 unit for one code point, so indexes map straight back to the original. */
function lens(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d) ? ' ' : ch;
  let v = lensCache.get(ch);
  if (v === undefined) {
    v = lensOf(ch);
    if (lensCache.size < 4096) lensCache.set(ch, v);
  }
  return v;
}

function lensOf(ch: string): string {
  if (DECIMAL_DIGIT.test(ch)) return digitValue(ch);
  if (ch === '№') return ch; // NFKC would make it "No", and it separates series from number.
  const n = ch.normalize('NFKC');
  if (n.length === 1 && DECIMAL_DIGIT.test(n)) return digitValue(n);
  if (/\s/u.test(ch) || /\s/u.test(n)) return ' ';
  if (DASH.test(ch)) return '-';
  if (INVISIBLE.test(ch)) return INVISIBLE_MARK;
  if (n.length === 1) return n;
  return ch.length === 1 ? ch : '\ufffd';
}

function shield(scan: string[], re: RegExp, source: string): void {
  for (const m of source.matchAll(re)) scan.fill(SHIELD, m.index, m.index + m[0].length);
}

/** Hide every digit of [from, to) but the last two; `letters` hides letters there too. */
function hideSpan(norm: string, hide: Uint8Array, from: number, to: number, letters = false): void {
  let keep = KEEP;
  for (let i = to - 1; i >= from; i--) {
    const c = norm[i]!;
    if (c >= '0' && c <= '9') {
      if (keep > 0) keep--;
      else hide[i] = 1;
    } else if (letters && /\p{L}/u.test(c)) hide[i] = 1;
  }
}

function isAmount(scan: string, from: number, to: number, span: string): boolean {
  return THOUSANDS.test(span) && (CURRENCY_AFTER.test(scan.slice(to, to + 4)) || CURRENCY_BEFORE.test(scan.slice(Math.max(0, from - 2), from)));
}

/** The text with phone, card and document numbers masked, and whether anything was. */
export function maskText(text: string): { text: string; masked: boolean } {
  // Nothing masks under four digits (a series "45 10" is the shortest): most chat lines stop here.
  if ((text.match(DIGITISH) ?? []).length < 4) return { text, masked: false };
  const chars = Array.from(text);
  const norm = chars.map(lens).join('');
  const scanChars = norm.split('');
  shield(scanChars, UUID, norm);
  shield(scanChars, HEX, norm);
  shield(scanChars, COMPLAINT_NUMBER, norm);
  shield(scanChars, DATE, norm);
  const scan = scanChars.join('');
  const hide = new Uint8Array(chars.length);

  for (const m of scan.matchAll(NUMBER)) {
    const from = m.index;
    const to = from + m[0].length;
    const digits = m[0].replace(/\D/g, '').length;
    if (digits < MIN_DIGITS) continue;
    if (isAmount(scan, from, to, m[0].replace(/\u200b/g, ''))) continue;
    hideSpan(norm, hide, from, to);
  }
  for (const m of scan.matchAll(DOC_SERIES_NUMBER)) hideSpan(norm, hide, m.indices![1]![0], m.indices![2]![1]);
  for (const m of scan.matchAll(DOC_GROUP)) hideSpan(norm, hide, m.indices![1]![0], m.indices![1]![1]);
  // Looking behind at every position is slow; most texts have no six digits in a row at all.
  if (/\d{6}/.test(scan)) for (const m of scan.matchAll(DOC_LETTERED)) hideSpan(norm, hide, m.index, m.index + m[0].length, true);

  if (!hide.includes(1)) return { text, masked: false };
  return { text: chars.map((c, i) => (hide[i] ? BULLET : c)).join(''), masked: true };
}

/** Every string inside `value` (deeply: arrays, object values and keys) masked; other values as they are. */
export function maskValue<T>(value: T): T {
  if (typeof value === 'string') return maskText(value).text as T;
  if (Array.isArray(value)) return value.map((v) => maskValue(v)) as T;
  if (value !== null && typeof value === 'object') return maskRecord(value as Record<string, unknown>) as T;
  return value;
}

/** A record with its keys and every string inside its values masked (see `maskValue`). */
export function maskRecord<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[maskText(k).text] = maskValue(v);
  return out as T;
}

/**
 * A contact's attributes as the host page sent them ({ phone: 79161234567 }): keys and strings
 * masked, and a long number masked as text, since a partner's number may well be a phone.
 */
export function maskAttributes(attributes: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes)) {
    const text = maskText(String(v));
    out[maskText(k).text] = text.masked ? text.text : v;
  }
  return out;
}
