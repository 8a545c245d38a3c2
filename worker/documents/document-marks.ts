import type { Actor } from '../conversation/commands';
import type { ConversationCore, Result } from '../conversation/core';
import { fail, ok } from '../conversation/core';
import { publicAttachment } from './doc-store';
import type { DocumentStore } from './doc-store';
import type { DocumentAnswer } from './do-documents';
import { authorOfActor, mayView } from './do-documents';

/**
 * An agent marks a file of this conversation sensitive (a passport the customer sent unasked).
 * From then on every agent gets it covered, like a file answering a passport request: no link
 * without the audited reveal. The mark is audited (document.marked_sensitive) and its line, for
 * agents only, tells every open thread to cover the file at once. Marking twice changes nothing
 * and audits nothing more; there is no un-marking.
 */
export async function markSensitive(core: ConversationCore, docs: DocumentStore, id: string, actor: Actor): Promise<Result<DocumentAnswer>> {
  if (actor.role !== 'agent') return fail('auth.forbidden', 'Only agents mark documents sensitive');
  const a = docs.find(id);
  if (!a || !mayView(a, { role: 'agent', id: actor.id })) return fail('document.not_found', 'No such file in this conversation');
  if (a.sensitive) return ok({ attachment: publicAttachment(a), duplicate: true });
  docs.markSensitive(a.id);
  core.record([{ kind: 'document.marked_sensitive', actor: authorOfActor(actor), data: { attachmentId: a.id, name: a.name, messageSeq: a.messageSeq } }], Date.now());
  await core.drain.soon(0);
  return ok({ attachment: publicAttachment({ ...a, sensitive: true }), duplicate: false });
}
