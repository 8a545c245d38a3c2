import type { Channel } from '../../protocol';
import type { Actor } from './commands';
import { answerByMail } from '../mail/answers';
import type { ConversationStore } from './store';

/**
 * The channel an agent's answer is on: `email` when the customer last wrote by e-mail, or through
 * the away form that promised them an answer by mail; otherwise the channel the agent wrote on.
 * Decided here, by the conversation's single writer, so the thread's badge and the mail that goes
 * out (worker/mail/answers.ts mails agent messages on `email`) can never disagree.
 */
export function answerChannel(store: ConversationStore, actor: Actor, channel: Channel, live: boolean): Channel {
  if (actor.role !== 'agent' || !live || channel === 'email') return channel;
  return answerByMail(store.lastCustomerMessage()) ? 'email' : channel;
}
