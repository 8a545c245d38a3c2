/** Which kind of text the composer is writing. */
export type ComposeMode = 'reply' | 'note';

/** A half-written reply or note. */
export interface Draft {
  text: string;
  mode: ComposeMode;
}

/**
 * Drafts in localStorage, one per agent and conversation, so a reload or a crashed tab never
 * loses a typed reply. Storage that refuses (private mode, quota) degrades to memory.
 */
export class Drafts {
  private readonly memory = new Map<string, string>();

  constructor(private readonly agentId: string) {}

  private key(conversationId: string): string {
    return `sb-inbox:${this.agentId}:draft:${conversationId}`;
  }

  /** The saved draft, or an empty reply. */
  get(conversationId: string): Draft {
    const raw = read(this.key(conversationId)) ?? this.memory.get(this.key(conversationId)) ?? null;
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
    const key = this.key(conversationId);
    if (!draft.text && draft.mode === 'reply') return this.clear(conversationId);
    const raw = JSON.stringify(draft);
    if (!write(key, raw)) this.memory.set(key, raw);
  }

  /** Forget the text once it was sent; the mode stays as the agent left it. */
  clear(conversationId: string, keepMode?: ComposeMode): void {
    const key = this.key(conversationId);
    this.memory.delete(key);
    if (keepMode === 'note') write(key, JSON.stringify({ text: '', mode: 'note' }));
    else remove(key);
  }
}

/** localStorage that never throws. */
export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Write to localStorage; false when storage refused. */
export function write(key: string, value: string): boolean {
  try {
    localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** Remove from localStorage, quietly. */
export function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* nothing to undo */
  }
}
