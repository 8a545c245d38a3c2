/** A string key-value store: localStorage when the page allows it, memory otherwise. */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/**
 * The one storage wrapper of the widget and the inbox. localStorage throws in some sandboxed
 * iframes, private modes and on a full quota; chat must still work there, only without surviving a
 * reload, so what storage refuses is kept in memory for this page instead.
 */
export function browserStorage(): KeyValue {
  const memory = memoryStorage();
  let ls: Storage;
  try {
    ls = window.localStorage;
    const probe = '__sb_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
  } catch {
    return memory;
  }
  return {
    get: (k) => {
      try {
        return memory.get(k) ?? ls.getItem(k);
      } catch {
        return memory.get(k);
      }
    },
    set: (k, v) => {
      try {
        ls.setItem(k, v);
        memory.remove(k);
      } catch {
        memory.set(k, v);
      }
    },
    remove: (k) => {
      memory.remove(k);
      try {
        ls.removeItem(k);
      } catch {
        /* nothing stored there to undo */
      }
    },
  };
}

/** A store that lives as long as the page. */
export function memoryStorage(): KeyValue {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), remove: (k) => void m.delete(k) };
}
