import type { ErrorBody, ErrorCode } from '../../protocol';

/** An API failure in the one error shape; `status` 0 means the network failed. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network.failed',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** What an inline error shows: the server's code and message. */
export interface ShownError {
  code: string;
  message: string;
}

/**
 * Call the agent API with the session cookie. Resolves with the JSON body; rejects with an
 * ApiError carrying the server's `{error:{code,message}}`, or `network.failed`.
 */
export async function api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.json === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  } catch {
    throw new ApiError('network.failed', 'The server could not be reached; check the connection', 0);
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
  if (!res.ok) {
    const err = body?.error;
    throw new ApiError(err?.code ?? 'server.error', err?.message ?? `The server answered ${res.status}`, res.status);
  }
  return body as T;
}

/** The error to show for anything a call threw. */
export function shownError(err: unknown): ShownError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'client.error', message: err instanceof Error ? err.message : String(err) };
}

/** Path of one conversation's resource. */
export function conversationPath(id: string, rest = ''): string {
  return `/v1/agent/conversations/${encodeURIComponent(id)}${rest}`;
}
