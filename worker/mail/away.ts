/**
 * The away form's promise of an answer by e-mail: the conversation gets a mail thread with the
 * customer's address, and the customer an acknowledgement mail (ticket number, what they wrote)
 * whose Message-ID and Reply-To carry the conversation's token, so replying to it continues the
 * conversation and the agent's answer comes back threaded to it.
 */
import type { Env } from '../env';
import type { Tenant } from '../db/tenants';
import { findMailSettings, noteThreadMail } from '../db/mail';
import { conversationMailToken, conversationMessageId, plusAddress } from './tokens';
import { isAddress, sendMail } from './outbound';

/** Open the conversation's mail thread and acknowledge the away-form message by mail; false when the brand has no e-mail. */
export async function promiseMailAnswer(env: Env, tenant: Tenant, conversation: { id: string; number: number }, address: string, name: string | null, text: string): Promise<boolean> {
  const settings = await findMailSettings(env.DB, tenant.id);
  // An address from a partner's token is not checked like the form's: one that is none means no mail.
  if (!settings || !isAddress(address)) return false;
  const token = await conversationMailToken(env.SOCKET_SECRET, tenant.id, conversation.id);
  const subject = `${tenant.name}: your message, ticket #${conversation.number}`;
  // One acknowledgement per conversation: a second away-form message joins the same thread quietly.
  const messageId = conversationMessageId(settings.inboundAddress, token, 'ack');
  await noteThreadMail(env.DB, { tenantId: tenant.id, conversationId: conversation.id, address, subject, messageId, fromCustomer: false }, Date.now());
  const quoted = text.split('\n').map((l) => `> ${l}`).join('\n');
  await sendMail(env, {
    tenantId: tenant.id,
    conversationId: conversation.id,
    to: address,
    subject,
    text: `${name ? `Hello ${name},\n\n` : ''}thank you for your message. It is ticket #${conversation.number}; we will answer you by e-mail.\nTo add anything, simply reply to this mail.\n\n${quoted}\n\n-- \n${settings.fromName}\n`,
    messageId,
    replyTo: plusAddress(settings.inboundAddress, token),
  });
  return true;
}
