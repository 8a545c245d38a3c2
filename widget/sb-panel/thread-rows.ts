import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { SystemLine } from '../../protocol';
import type { ViewMessage } from '../core/connection';
import type { I18n } from '../i18n';
import { messageText } from './message-text';
import { renderFiles, renderRequestCard } from './files';
import type { FileActions } from './files';

/**
 * The panel's thread: messages, the customer's own system lines (who joined, holds, resolved,
 * their rating) between them by time, day separators, and the brand's greeting on top. The
 * customer's lines come from the server already cut to what they may see.
 */
export function renderThread(i18n: I18n, rows: ViewMessage[], lines: readonly SystemLine[], greeting: string | undefined, files?: FileActions, base = ''): TemplateResult[] {
  const out: TemplateResult[] = [];
  if (greeting) out.push(html`<li class="msg theirs greeting" part="message message-theirs"><div class="bubble" part="bubble"><p class="text">${messageText(greeting)}</p></div></li>`);
  let day = '';
  const dated = (at: number) => {
    const d = i18n.day(at);
    if (d !== day) out.push(html`<li class="day">${(day = d)}</li>`);
  };
  let l = 0;
  for (const m of rows) {
    // Unsent messages (no seq yet) stay last; lines go before the first message later than them.
    while (l < lines.length && (m.seq === null || lines[l]!.at <= m.createdAt)) {
      dated(lines[l]!.at);
      out.push(renderLine(i18n, lines[l++]!, lines, files, base));
    }
    dated(m.createdAt);
    out.push(renderMessage(i18n, m, files));
  }
  for (; l < lines.length; l++) {
    dated(lines[l]!.at);
    out.push(renderLine(i18n, lines[l]!, lines, files, base));
  }
  return out;
}

function renderMessage(i18n: I18n, m: ViewMessage, files: FileActions | undefined): TemplateResult {
  const name = m.author.name || (m.author.role === 'customer' ? i18n.t('you') : i18n.t('someone'));
  const initials = name.split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase();
  return html`<li class="msg ${m.mine ? 'mine' : 'theirs'} ${m.state === 'failed' ? 'failed' : ''}" part="message ${m.mine ? 'message-mine' : 'message-theirs'}">
    ${m.mine ? nothing : html`<span class="avatar" aria-hidden="true">${initials}</span>`}
    <div class="bubble" part="bubble">
      <span class=${m.mine ? 'sr-only' : 'author'}>${name}</span>
      <p class="text">${messageText(m.text)}</p>
      ${renderFiles(i18n, m, files)}
      <span class="meta"><time datetime=${new Date(m.createdAt).toISOString()}>${i18n.clock(m.createdAt)}</time>${m.mine ? html` · <span class="state">${i18n.t(m.state)}</span>` : nothing}</span>
    </div>
  </li>`;
}

function renderLine(i18n: I18n, l: SystemLine, lines: readonly SystemLine[], files: FileActions | undefined, base: string): TemplateResult {
  if (l.kind === 'document_requested') return renderRequestCard(i18n, l, lines.some((x) => x.kind === 'document_received' && x.requestId === l.requestId), files);
  // The letter's link is ours (a same-origin path the server signed); it is bound as an attribute, never as HTML.
  const letter = l.kind === 'complaint_answered' && l.url.startsWith('/v1/letters/') ? html` <a class="letter" href=${base + l.url} target="_blank" rel="noopener">${i18n.t('complaintLetter')}</a>` : nothing;
  return html`<li class="line" part="line" data-kind=${l.kind}>${lineText(i18n, l)}${letter} · <time datetime=${new Date(l.at).toISOString()}>${i18n.clock(l.at)}</time></li>`;
}

/** What a line says to the customer, in their language. */
export function lineText(i18n: I18n, l: SystemLine): string {
  const by = l.by ?? i18n.t('someone');
  switch (l.kind) {
    case 'assigned':
      return i18n.t('lineJoined', { name: l.to });
    case 'transferred':
      return l.to ? i18n.t('lineTransferredTo', { name: l.to }) : i18n.t('lineTransferred');
    case 'held':
      return i18n.t('lineHeld', { name: by, time: i18n.clock(l.until) });
    case 'lifted':
      return i18n.t('lineLifted');
    case 'resolved':
      return i18n.t('lineResolved');
    case 'reopened':
      return i18n.t('lineReopened');
    case 'rated':
      return i18n.t(l.score === 'good' ? 'lineRatedGood' : 'lineRatedBad') + (l.comment ? ` “${l.comment}”` : '');
    case 'complaint_filed':
      return i18n.t('lineComplaintFiled', { number: l.number, date: i18n.fullDate(l.dueAt) });
    case 'complaint_answered':
      return i18n.t('lineComplaintAnswered', { number: l.number });
    case 'document_deleted':
      return i18n.t('lineDocumentDeleted', { name: l.name, date: i18n.day(l.at) });
    case 'document_received':
      return i18n.t('lineDocumentReceived');
    default:
      // Agents-only kinds never reach the customer; a newer server's kind shows as nothing odd.
      return '';
  }
}
