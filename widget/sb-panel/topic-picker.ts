import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { PrechatTopic } from '../../protocol';
import type { I18n } from '../i18n';

/** The hint's id: the composer points at it (aria-describedby) while the choice is offered. */
export const TOPICS_HINT_ID = 'topics-hint';

/**
 * "What can we help with?": the brand's pre-chat topics as plain buttons (reachable by Tab, so
 * inside the panel's focus trap), or, once one is picked, that topic as chosen. The hint says
 * typing is fine too, since skipping the choice is just writing a message.
 */
export function renderTopicPicker(i18n: I18n, topics: readonly PrechatTopic[], picked: string | null, pick: (key: string) => void): TemplateResult {
  const chosen = picked ? topics.find((t) => t.key === picked) : undefined;
  if (chosen) return html`<p class="topic-chosen" role="status">${i18n.t('topicChosen', { topic: chosen.label })}</p>`;
  return html`<div class="topics">
    <h3 id="topics-title">${i18n.t('topicsTitle')}</h3>
    <p class="note" id=${TOPICS_HINT_ID}>${i18n.t('topicsHint')}</p>
    <div class="chips" role="group" aria-labelledby="topics-title">
      ${topics.map((t) => html`<button class="chip" type="button" data-topic=${t.key} @click=${() => pick(t.key)}>${t.label}</button>`)}
    </div>
  </div>`;
}
