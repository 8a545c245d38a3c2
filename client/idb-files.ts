import type { FileKeep, KeptFile } from './pending-files';

const STORE = 'files';

/**
 * A FileKeep in IndexedDB (database `name`, one object store), or null where the page has none.
 * Blobs are stored as they are: the browser keeps them on disk, not in memory.
 */
export function indexedDbFileKeep(name: string): FileKeep | null {
  if (typeof indexedDB === 'undefined') return null;
  let opened: Promise<IDBDatabase> | null = null;
  const db = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    }));
  const run = <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> =>
    db().then(
      (d) =>
        new Promise<T>((resolve, reject) => {
          const tx = d.transaction(STORE, mode);
          const req = op(tx.objectStore(STORE));
          tx.oncomplete = () => resolve(req.result);
          tx.onerror = tx.onabort = () => reject(tx.error);
        }),
    );
  return {
    put: async (key, file) => void (await run('readwrite', (s) => s.put(file, key))),
    get: async (key) => (await run<KeptFile | undefined>('readonly', (s) => s.get(key))) ?? undefined,
    delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
    // One cursor in one transaction, so keys and sizes cannot come from two different moments.
    sizes: () =>
      db().then(
        (d) =>
          new Promise((resolve, reject) => {
            const out: { key: string; size: number }[] = [];
            const tx = d.transaction(STORE, 'readonly');
            const req = tx.objectStore(STORE).openCursor();
            req.onsuccess = () => {
              const c = req.result;
              if (!c) return;
              out.push({ key: String(c.key), size: (c.value as KeptFile).size });
              c.continue();
            };
            tx.oncomplete = () => resolve(out);
            tx.onerror = tx.onabort = () => reject(tx.error);
          }),
      ),
  };
}
