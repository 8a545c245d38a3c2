// The bytes of unsent files are kept per message (all or none) under a total cap, come back as
// Files after a reload, and are forgotten once stored, removed, or no longer in the outbox.
import { describe, expect, it } from 'vitest';
import { PendingFiles, memoryFileKeep } from '../../client/pending-files';
import type { FileKeep } from '../../client/pending-files';

const file = (name: string, size: number, type = 'image/png') => new File([new Uint8Array(size).fill(7)], name, { type });
const meta = (f: File, id?: string) => ({ name: f.name, size: f.size, type: f.type, ...(id ? { id } : {}) });

describe('PendingFiles', () => {
  it('keeps a message’s files and gives them back with their names, types and bytes', async () => {
    const keep = memoryFileKeep();
    const pending = new PendingFiles(keep);
    const a = file('passport.png', 10);
    const b = file('form.pdf', 5, 'application/pdf');
    expect(await pending.add('m1', [a, b])).toBe(true);
    const back = await new PendingFiles(keep).restore('m1', [meta(a), meta(b)]);
    expect(back?.map((f) => [f.name, f.type, f.size])).toEqual([['passport.png', 'image/png', 10], ['form.pdf', 'application/pdf', 5]]);
    expect([...new Uint8Array(await back![0]!.arrayBuffer())]).toEqual(new Array(10).fill(7));
  });

  it('forgets a file once stored; a restore then needs only the unstored ones', async () => {
    const keep = memoryFileKeep();
    const pending = new PendingFiles(keep);
    const a = file('a.png', 10);
    const b = file('b.png', 20);
    await pending.add('m1', [a, b]);
    await pending.stored('m1', 0);
    expect((await keep.sizes()).map((e) => e.key)).toEqual(['m1:1']);
    const back = await pending.restore('m1', [meta(a, 'ID0'), meta(b)]);
    expect(back?.map((f) => f.size)).toEqual([0, 20]);
    expect(await pending.restore('m1', [meta(a), meta(b)])).toBeNull();
  });

  it('keeps nothing of a message that would go over the cap, and what was kept stays', async () => {
    const keep = memoryFileKeep();
    const pending = new PendingFiles(keep, 100);
    expect(await pending.add('m1', [file('a.png', 60)])).toBe(true);
    expect(await pending.add('m2', [file('b.png', 30), file('c.png', 30)])).toBe(false);
    expect((await keep.sizes()).map((e) => e.key)).toEqual(['m1:0']);
    expect(await pending.restore('m2', [meta(file('b.png', 30)), meta(file('c.png', 30))])).toBeNull();
    await pending.drop('m1', 1);
    expect(await pending.add('m2', [file('b.png', 30), file('c.png', 30)])).toBe(true);
  });

  it('forgets a file stored on the server before its bytes had even been kept', async () => {
    const keep = memoryFileKeep();
    const pending = new PendingFiles(keep);
    const adding = pending.add('m1', [file('a.png', 3)]);
    const storedNow = pending.stored('m1', 0);
    await Promise.all([adding, storedNow]);
    expect(await keep.sizes()).toEqual([]);
  });

  it('drops the bytes of messages no longer in the outbox', async () => {
    const keep = memoryFileKeep();
    const pending = new PendingFiles(keep);
    await pending.add('m1', [file('a.png', 1)]);
    await pending.add('m2', [file('b.png', 1), file('c.png', 1)]);
    await pending.prune(new Set(['m2']));
    expect((await keep.sizes()).map((e) => e.key).sort()).toEqual(['m2:0', 'm2:1']);
  });

  it('answers "not kept" when storage fails, leaving nothing half kept', async () => {
    const inner = memoryFileKeep();
    let puts = 0;
    const flaky: FileKeep = { ...inner, put: async (k, f) => (++puts === 2 ? Promise.reject(new Error('QuotaExceededError')) : inner.put(k, f)) };
    const pending = new PendingFiles(flaky);
    expect(await pending.add('m1', [file('a.png', 1), file('b.png', 1)])).toBe(false);
    expect(await inner.sizes()).toEqual([]);
    const broken: FileKeep = { ...inner, get: () => Promise.reject(new Error('gone')) };
    expect(await new PendingFiles(broken).restore('m1', [meta(file('a.png', 1))])).toBeNull();
  });
});
