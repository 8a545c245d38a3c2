// Files of the outbox: each goes up under its message's clientId and index, a dropped connection
// sends it again to the same place, and the message follows only once every file is stored; a
// refusal is shown to the writer, and Cancel stops the upload and forgets the message.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationLink } from '../../client/conversation-link';
import { FileUploads } from '../../client/file-upload';
import { memoryStorage } from '../../client/storage';
import { FakeSocket } from './fake-socket';

/** An XMLHttpRequest stand-in: records each request and lets the test answer it or drop it. */
class FakeXhr {
  static all: FakeXhr[] = [];
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  responseText = '';
  aborted = false;
  upload: { onprogress: ((e: { loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  constructor() {
    FakeXhr.all.push(this);
  }
  open(_method: string, url: string): void {
    this.url = url;
  }
  setRequestHeader(k: string, v: string): void {
    this.headers[k] = v;
  }
  send(body: unknown): void {
    this.body = body;
  }
  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }
  respond(status: number, body: unknown): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
  drop(): void {
    this.onerror?.();
  }
}

const state = { id: 'conv', number: 1, status: 'open', assignee: null, channels: ['web'], hold: null, queue: null, csat: null, mergedInto: null, lastSeq: 0 };
const ID = 'A'.repeat(22);
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

async function setup(refusals: [string, string | undefined][] = []) {
  const storage = memoryStorage();
  const link = new ConversationLink({ ticket: async () => ({ url: 'ws://test', token: 'tok' }), isMe: (a) => a.role === 'customer', storage, outboxKey: 'outbox', WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
  link.start();
  await flush();
  const ws = FakeSocket.all[FakeSocket.all.length - 1]!;
  ws.say({ type: 'welcome', conversation: state, messages: [], you: { role: 'customer', id: null, name: null, channel: 'web' } });
  const uploads = new FileUploads(async (clientId, index, file) => ({ url: `/v1/widget/files?clientId=${clientId}&index=${index}&name=${file.name}`, headers: { authorization: 'Bearer tok' } }), {
    stored: (c, i, id) => link.fileStored(c, i, id),
    refused: (c, m, code) => {
      refusals.push([m, code]);
      link.fail(c, m);
    },
    changed: () => undefined,
  });
  const file = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], 'contract.pdf', { type: 'application/pdf' });
  const item = link.send('Signed contract', undefined, [{ name: file.name, size: file.size, type: file.type }]);
  uploads.start(item.clientId, [file]);
  await flush();
  const sends = () => ws.sent.filter((f) => f.type === 'message.send');
  return { link, uploads, item, sends, storage };
}

beforeEach(() => {
  FakeXhr.all = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('FileUploads with the conversation link', () => {
  it('resends a dropped upload to the same clientId and index, and sends the message once the file is stored', async () => {
    const { item, sends, storage, link } = await setup();
    expect(FakeXhr.all).toHaveLength(1);
    expect(FakeXhr.all[0]!.url).toBe(`/v1/widget/files?clientId=${item.clientId}&index=0&name=contract.pdf`);
    expect(FakeXhr.all[0]!.headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/pdf' });
    expect(sends()).toEqual([]);

    FakeXhr.all[0]!.drop();
    await flush();
    expect(FakeXhr.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(FakeXhr.all).toHaveLength(2);
    expect(FakeXhr.all[1]!.url).toBe(FakeXhr.all[0]!.url);
    expect(sends()).toEqual([]);

    FakeXhr.all[1]!.respond(201, { attachment: { id: ID }, duplicate: false });
    await flush();
    expect(sends()).toEqual([{ type: 'message.send', clientId: item.clientId, text: 'Signed contract', attachments: [ID] }]);
    // The stored id is in the persisted outbox: a reload sends the message without uploading again.
    expect(JSON.parse(storage.get('outbox')!)[0].files[0].id).toBe(ID);
    link.stop();
  });

  it("shows the server's refusal to the writer, with its code, and does not try again", async () => {
    const refusals: [string, string | undefined][] = [];
    const { item, sends, link } = await setup(refusals);
    FakeXhr.all[0]!.respond(415, { error: { code: 'document.type_refused', message: "SVG pictures can't be sent here" } });
    await flush();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeXhr.all).toHaveLength(1);
    expect(link.pending()).toMatchObject([{ clientId: item.clientId, state: 'failed', error: "SVG pictures can't be sent here" }]);
    expect(refusals).toEqual([["SVG pictures can't be sent here", 'document.type_refused']]);
    expect(sends()).toEqual([]);
    link.stop();
  });

  it('cancel aborts the upload and forgets the message', async () => {
    const { item, sends, uploads, link } = await setup();
    uploads.cancel(item.clientId);
    link.discard(item.clientId);
    expect(FakeXhr.all[0]!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeXhr.all).toHaveLength(1);
    expect(link.pending()).toEqual([]);
    expect(sends()).toEqual([]);
    link.stop();
  });
});
