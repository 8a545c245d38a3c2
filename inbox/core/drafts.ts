import type { KeyValue } from '../../client/storage';

/** Which kind of text the composer is writing. */
export type ComposeMode = 'reply' | 'note';

/** A half-written reply or note. */
export interface Draft {
  text: string;
  mode: ComposeMode;
}

/**
 * Drafts in storage, one per agent and conversation, so a reload or a crashed tab never loses a
 * typed reply (DESIGN.md promise 5). Storage that refuses (private mode, quota) degrades to memory
 * inside the shared storage wrapper.
 */
export class Drafts {
  constructor(
    private readonly agentId: string,
    private readonly storage: KeyValue,
  ) {}

  private key(conversationId: string): string {
    return `sb-inbox:${this.agentId}:draft:${conversationId}`;
  }

  /** The saved draft, or an empty reply. */
  get(conversationId: string): Draft {
    const raw = this.storage.get(this.key(conversationId));
    if (!raw) return { text: '', mode: 'reply' };
    try {
      const d = JSON.parse(raw) as Partial<Draft>;
      return { text: typeof d.text === 'string' ? d.text : '', mode: d.mode === 'note' ? 'note' : 'reply' };
    } catch {
      return { text: '', mode: 'reply' };
    }
  }

  /** Save on every keystroke; an empty reply is nothing to keep. */
  set(conversationId: string, draft: Draft): void {
    if (!draft.text && draft.mode === 'reply') return this.clear(conversationId);
    this.storage.set(this.key(conversationId), JSON.stringify(draft));
  }

  /** Forget the text once it was sent; the mode stays as the agent left it. */
  clear(conversationId: string, keepMode?: ComposeMode): void {
    const key = this.key(conversationId);
    if (keepMode === 'note') this.storage.set(key, JSON.stringify({ text: '', mode: 'note' }));
    else this.storage.remove(key);
  }
}
