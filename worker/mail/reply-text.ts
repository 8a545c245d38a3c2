/**
 * The customer's own words of a mail: the plain part with the quoted history and the signature cut
 * off, so the thread shows what they wrote this time, not our last answer again.
 */

// Lines mail clients put before the quote ("On Tue, 1 Dec 2026, Anna wrote:", Outlook's separator,
// the Russian clients' "пишет:"). What follows such a line is the old thread.
const QUOTE_INTRO = [/^On .{1,300} wrote:\s*$/i, /^-{2,}\s*Original Message\s*-{2,}\s*$/i, /^_{5,}\s*$/, /^From: .+$/, /^.{1,300}\s(пишет|написал\(а\)|написал):\s*$/i];

/** Strip a mail's quoted history, quote lines and signature; `html` is only a fallback when there is no plain part. */
export function replyText(text: string | undefined, html?: string): string {
  const plain = text ?? (html ? htmlToText(html) : '');
  const out: string[] = [];
  for (const line of plain.replace(/\r\n?/g, '\n').split('\n')) {
    if (QUOTE_INTRO.some((re) => re.test(line.trim()))) break;
    // RFC 3676 signature separator: everything after it is the signature.
    if (line === '-- ' || line === '--') break;
    if (line.startsWith('>')) continue;
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** A plain rendering of an HTML-only mail: tags dropped, block ends as new lines, entities of the common kind decoded. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<blockquote[\s\S]*?<\/blockquote>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
