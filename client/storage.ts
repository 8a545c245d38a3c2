/** A string key-value store: localStorage when the page allows it, memory otherwise. */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/**
 * localStorage throws in some sandboxed iframes and private modes; the widget must still work there,
 * only without surviving a reload.
 */
export function browserStorage(): KeyValue {
  try {
    const ls = window.localStorage;
    const probe = '__sb_probe__';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return {
      get: (k) => ls.getItem(k),
      set: (k, v) => {
        try {
          ls.setItem(k, v);
        } catch {
          /* quota: keep going in memory for this page */
        }
      },
      remove: (k) => ls.removeItem(k),
    };
  } catch {
    return memoryStorage();
  }
}

/** A store that lives as long as the page. */
export function memoryStorage(): KeyValue {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), remove: (k) => void m.delete(k) };
}
