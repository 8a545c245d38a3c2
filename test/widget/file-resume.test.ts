// After a reload, outbox messages whose files were not uploaded start uploading again from the
// bytes kept on the device; without those bytes the customer is asked to attach again; a refused
// message keeps its own reason; many welcomes at once start one upload.
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../client/outbox';
import { PendingFiles, memoryFileKeep } from '../../client/pending-files';
import { memoryStorage } from '../../client/storage';
import { FILE_LOST } from '../../widget/i18n/file-refusal';
import { resumeFiles } from '../../widget/core/file-resume';

function parts() {
  const outbox = new Outbox(memoryStorage(), 'outbox');
  const pending = new PendingFiles(memoryFileKeep());
  const started: { id: string; names: string[]; stored: (string | undefined)[] }[] = [];
  const refused: [string, string][] = [];
  const failed = new Map<string, string>();
  const uploading = new Set<string>();
  const uploads = {
    has: (id: string) => uploading.has(id),
    start: (id: string, files: File[], stored: readonly (string | undefined)[] = []) => {
      uploading.add(id);
      started.push({ id, names: files.map((f) => f.name), stored: [...stored] });
    },
  };
  const p = { outbox, pending, failed, uploads, refuse: (id: string, _m: string, code: string) => void refused.push([id, code]) };
  return { p, outbox, pending, started, refused, failed };
}

const png = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/png' });
const meta = (f: File) => ({ name: f.name, size: f.size, type: f.type });

describe('resumeFiles', () => {
  it('uploads kept files again, skipping the ones already stored, once however many welcomes come', async () => {
    const { p, outbox, pending, started, refused } = parts();
    const a = png('a.png');
    const b = png('b.png');
    const item = outbox.add('Two photos', 1, undefined, [meta(a), meta(b)]);
    await pending.add(item.clientId, [a, b]);
    outbox.setFileId(item.clientId, 0, 'ID0');
    await Promise.all([resumeFiles(p), resumeFiles(p), resumeFiles(p)]);
    expect(started).toEqual([{ id: item.clientId, names: ['a.png', 'b.png'], stored: ['ID0', undefined] }]);
    expect(refused).toEqual([]);
  });

  it('asks to attach again when the bytes are not on the device, and leaves a refused message as it is', async () => {
    const { p, outbox, started, refused, failed } = parts();
    const lost = outbox.add('Lost photo', 1, undefined, [meta(png('a.png'))]);
    const refusedOne = outbox.add('An SVG', 2, undefined, [meta(png('b.png'))]);
    failed.set(refusedOne.clientId, 'refused');
    outbox.add('Just text', 3);
    await resumeFiles(p);
    expect(started).toEqual([]);
    expect(refused).toEqual([[lost.clientId, FILE_LOST]]);
  });

  it('forgets kept bytes of messages that left the outbox (sent from another tab)', async () => {
    const { p, pending } = parts();
    await pending.add('gone', [png('a.png')]);
    await resumeFiles(p);
    expect(await pending.restore('gone', [meta(png('a.png'))])).toBeNull();
  });
});
