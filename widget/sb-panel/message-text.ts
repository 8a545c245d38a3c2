import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { splitLinks } from '../core/links';

/**
 * A message's text with its http(s) links clickable. Lit binds every piece as text or as an
 * attribute value, never as HTML; links open in a new tab without handing the host page
 * (window.opener) or the referrer to the linked site.
 */
export function messageText(text: string): (string | TemplateResult)[] {
  return splitLinks(text).map((s) => (s.href ? html`<a href=${s.href} target="_blank" rel="noopener noreferrer">${s.text}</a>` : s.text));
}
