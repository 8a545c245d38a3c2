import type { Author } from '../protocol';

/** Someone else's "typing" ends by itself after this long: a lost "stopped" frame must not stick. */
const TYPING_TTL_MS = 6_000;

/** Who else is typing now, each until they stop, send, or go quiet for TYPING_TTL_MS. */
export class Typists {
  /** The authors typing, in the order they started. */
  list: Author[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** `expired` runs when a typist timed out by themselves (the view must redraw). */
  constructor(private readonly expired: () => void) {}

  start(a: Author): void {
    const key = keyOf(a);
    clearTimeout(this.timers.get(key));
    if (!this.list.some((t) => keyOf(t) === key)) this.list = [...this.list, a];
    this.timers.set(
      key,
      setTimeout(() => {
        this.stop(a);
        this.expired();
      }, TYPING_TTL_MS),
    );
  }

  stop(a: Author): void {
    const key = keyOf(a);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.list = this.list.filter((t) => keyOf(t) !== key);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.list = [];
  }
}

const keyOf = (a: Author): string => `${a.role}:${a.id ?? ''}`;
