import * as v from 'valibot';
import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_STATUS, MAX_TEXT } from '../protocol';
import type { ErrorBody, ErrorCode } from '../protocol';

/** An expected failure: carries one of protocol's error codes and maps to its HTTP status. */
export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds to wait before retrying (rate.limited): sent as `Retry-After` and in the body. */
    readonly retryAfter?: number,
  ) {
    super(ERROR_STATUS[code] as ContentfulStatusCode, { message });
    this.name = 'ApiError';
  }
}

/** The body of an error in the one error shape. */
export function errorBody(code: ErrorCode, message: string, retryAfter?: number): ErrorBody {
  return retryAfter === undefined ? { error: { code, message } } : { error: { code, message, retryAfter } };
}

/** Hono's onError: every thrown thing becomes the one error shape, never a stack trace. */
export function errorHandler(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
    return c.json(errorBody(err.code, err.message, err.retryAfter), err.status);
  }
  if (err instanceof HTTPException) {
    const code: ErrorCode = err.status === 404 ? 'request.not_found' : err.status === 401 ? 'auth.required' : 'request.invalid';
    return c.json(errorBody(code, err.message || 'Bad request'), err.status);
  }
  console.error('unhandled error', err);
  return c.json(errorBody('server.error', 'Something went wrong on our side'), 500);
}

/** Hono's notFound: unknown routes in the one error shape. */
export function notFoundHandler(c: Context): Response {
  return c.json(errorBody('request.not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
}

/** An error Response in the one shape, for Durable Objects answering fetch without Hono. */
export function errorResponse(code: ErrorCode, message: string, status: number = ERROR_STATUS[code]): Response {
  return Response.json(errorBody(code, message), { status });
}

/** Describe valibot issues in one line, naming the path of the first few. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((i) => {
      const path = v.getDotPath(i);
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/**
 * The error code for a text that failed its schema: empty and too long have codes of their own,
 * because the widget tells the customer which it was.
 */
export function textIssueCode(issues: readonly v.BaseIssue<unknown>[]): ErrorCode | null {
  for (const i of issues) {
    if (v.getDotPath(i) !== 'text') continue;
    if (i.type === 'max_length' && i.requirement === MAX_TEXT) return 'message.too_long';
    if (i.type === 'min_length') return 'message.empty';
  }
  return null;
}

/** The value of a Durable Object's Result, or its failure thrown as the ApiError it stands for. */
export function unwrap<T>(r: { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number }): T {
  if (!r.ok) throw new ApiError(r.code, r.message, r.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(r.retryAfterMs / 1000)));
  return r.value;
}
