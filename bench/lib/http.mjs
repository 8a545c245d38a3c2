// The HTTP half of a client: widget sessions, agent login, agent socket tokens.
// Node's fetch sends no Origin header, which the server treats as a non-browser client.

const TIMEOUT_MS = 20_000;

/** An HTTP answer that was not 2xx, carrying the API's error code. */
export class ApiCallError extends Error {
  constructor(method, path, status, body) {
    const code = body?.error?.code ?? 'unknown';
    super(`${method} ${path} → ${status} ${code}: ${body?.error?.message ?? JSON.stringify(body)}`);
    this.status = status;
    this.code = code;
  }
}

/** Call the API with a JSON body; returns { body, res } or throws ApiCallError. */
export async function call(baseUrl, method, path, { body, cookie } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { raw: text };
  }
  if (!res.ok) throw new ApiCallError(method, path, res.status, parsed);
  return { body: parsed, res };
}

/** A new anonymous visitor of `brand`: always a new contact with a new conversation. */
export async function createSession(baseUrl, { brand = 'operator', channel = 'web', visitorToken } = {}) {
  const body = { brand, channel };
  if (visitorToken) body.visitorToken = visitorToken;
  return (await call(baseUrl, 'POST', '/v1/widget/session', { body })).body;
}

/** Log an agent in and return the `sb_session=…` cookie to send back. */
export async function loginAgent(baseUrl, email, password = 'switchboard-demo') {
  const { res } = await call(baseUrl, 'POST', '/v1/agent/login', { body: { email, password } });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sb_session='));
  if (!cookie) throw new Error(`login of ${email} set no sb_session cookie`);
  return cookie.split(';')[0];
}

/** A socket token for the logged-in agent on one conversation: { socketToken, socketUrl }. */
export async function agentSocketToken(baseUrl, cookie, conversationId) {
  return (await call(baseUrl, 'POST', `/v1/agent/conversations/${encodeURIComponent(conversationId)}/socket-token`, { cookie })).body;
}

/** Map over items with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
