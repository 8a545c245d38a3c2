import type { Channel } from '../../protocol';
import type { Actor } from './commands';
import { answerByMail } from '../mail/answers';

/**
 * The customer's latest message: read backwards by seq from the newest, stopping at the first
 * customer's. The `+` keeps SQLite off the (author_role, client_id) index, which it would otherwise
 * pick and then sort every customer message of the thread, on every agent message (the profile
 * at 800 msg/s had it at ~4 % of the Worker's CPU).
 */
export const LAST_CUSTOMER_MESSAGE = "SELECT channel, client_id FROM messages WHERE +author_role = 'customer' ORDER BY seq DESC LIMIT 1";

/**
 * The channel an agent's answer is on: `email` when the customer last wrote by e-mail, or through
 * the away form that promised them an answer by mail; otherwise the channel the agent wrote on.
 * Decided here, by the conversation's single writer, so the thread's badge and the mail that goes
 * out (worker/mail/answers.ts mails agent messages on `email`) can never disagree.
 */
export function answerChannel(sql: SqlStorage, actor: Actor, channel: Channel, live: boolean): Channel {
  if (actor.role !== 'agent' || !live || channel === 'email') return channel;
  const last = sql.exec<{ channel: string; client_id: string }>(LAST_CUSTOMER_MESSAGE).toArray()[0];
  return answerByMail(last ? { channel: last.channel, clientId: last.client_id } : null) ? 'email' : channel;
}
