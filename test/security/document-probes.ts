// The permission matrix's probes for the documents routes (issue 13): each makes its own file in
// a fresh conversation of tenant A, then calls the route as the matrix's caller.
import type { DownloadLinkResponse, UploadResponse } from '../../protocol';
import { OPERATOR, api } from '../helpers';
import { A_MARKER, SAME_ORIGIN, leaveMessage, customerToken, newSession } from './fixtures';

/** What a probe returns: the matrix's Outcome. */
interface Outcome {
  status: number;
  json: unknown;
  body: string;
  markers?: string[];
}

/** A probe as the matrix runs it: the caller's cookie (undefined for anonymous). */
interface Probe {
  run(ctx: { cookie: string | undefined }): Promise<Outcome>;
}

const PDF = new TextEncoder().encode('%PDF-1.4\n% matrix\n%%EOF\n');

async function outcomeOf(res: Response, markers: string[] = []): Promise<Outcome> {
  const body = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    /* a file, not JSON */
  }
  return { status: res.status, json, body, markers };
}

/** A fresh tenant-A conversation (a customer message) holding one PDF the customer uploaded. */
async function conversationWithFile(): Promise<{ id: string; token: string; fileId: string }> {
  const conv = await leaveMessage(OPERATOR, `${A_MARKER}: documents`);
  const s = await customerToken(OPERATOR, conv);
  const res = await api(`/v1/widget/files?clientId=${crypto.randomUUID()}&index=0&name=matrix.pdf`, { method: 'POST', headers: { authorization: `Bearer ${s.socketToken}`, 'content-type': 'application/pdf' }, body: PDF });
  const { attachment } = (await res.json()) as UploadResponse;
  return { id: conv.id, token: s.socketToken, fileId: attachment.id };
}

/** Probes of every documents route, keyed like the route table. */
export function documentProbes(): Record<string, Probe> {
  return {
    // The customer's routes: their session token decides, whatever cookie the caller holds.
    'POST /v1/widget/files': {
      async run(ctx) {
        const s = await newSession(OPERATOR);
        const headers: Record<string, string> = { authorization: `Bearer ${s.socketToken}`, 'content-type': 'application/pdf' };
        return outcomeOf(await api(`/v1/widget/files?clientId=c&index=0`, { method: 'POST', headers, cookie: ctx.cookie, body: PDF }));
      },
    },
    'GET /v1/widget/files/:id/link': {
      async run(ctx) {
        const f = await conversationWithFile();
        return outcomeOf(await api(`/v1/widget/files/${f.fileId}/link`, { headers: { authorization: `Bearer ${f.token}` }, cookie: ctx.cookie }), [f.id]);
      },
    },
    // Public: the signed link is the key; the customer's link opens for anyone who holds it.
    'GET /v1/files/:token': {
      async run(ctx) {
        const f = await conversationWithFile();
        const link = (await (await api(`/v1/widget/files/${f.fileId}/link`, { headers: { authorization: `Bearer ${f.token}` } })).json()) as DownloadLinkResponse;
        return outcomeOf(await api(new URL(link.url).pathname, { cookie: ctx.cookie }));
      },
    },
    'POST /v1/agent/conversations/:id/files': {
      async run(ctx) {
        const conv = await leaveMessage(OPERATOR, `${A_MARKER}: agent upload`);
        const headers = { ...SAME_ORIGIN, 'content-type': 'application/pdf' };
        return outcomeOf(await api(`/v1/agent/conversations/${conv.id}/files?clientId=r&index=0&name=tariff.pdf`, { method: 'POST', headers, cookie: ctx.cookie, body: PDF }), [conv.id]);
      },
    },
    'GET /v1/agent/conversations/:id/files/:fileId/link': {
      async run(ctx) {
        const f = await conversationWithFile();
        return outcomeOf(await api(`/v1/agent/conversations/${f.id}/files/${f.fileId}/link`, { cookie: ctx.cookie }), [f.id]);
      },
    },
    'POST /v1/agent/conversations/:id/document-requests': {
      async run(ctx) {
        const conv = await leaveMessage(OPERATOR, `${A_MARKER}: request`);
        const headers = { ...SAME_ORIGIN, 'content-type': 'application/json' };
        return outcomeOf(await api(`/v1/agent/conversations/${conv.id}/document-requests`, { method: 'POST', headers, cookie: ctx.cookie, body: JSON.stringify({ kind: 'passport' }) }), [conv.id]);
      },
    },
    'POST /v1/agent/conversations/:id/files/:fileId/reveal': {
      async run(ctx) {
        const f = await conversationWithFile();
        return outcomeOf(await api(`/v1/agent/conversations/${f.id}/files/${f.fileId}/reveal`, { method: 'POST', headers: SAME_ORIGIN, cookie: ctx.cookie }), [f.id]);
      },
    },
    'POST /v1/agent/conversations/:id/files/:fileId/sensitive': {
      async run(ctx) {
        const f = await conversationWithFile();
        return outcomeOf(await api(`/v1/agent/conversations/${f.id}/files/${f.fileId}/sensitive`, { method: 'POST', headers: SAME_ORIGIN, cookie: ctx.cookie }), [f.id]);
      },
    },
  };
}
