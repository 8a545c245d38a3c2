import * as v from 'valibot';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors';
import { MAX_TEXT } from '../../protocol';

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

/** True when an issue says a message text is too long, which has its own error code. */
export function isTooLong(issues: readonly v.BaseIssue<unknown>[]): boolean {
  return issues.some((i) => i.type === 'max_length' && v.getDotPath(i) === 'text' && i.requirement === MAX_TEXT);
}

/** Parse `value` with `schema` or throw request.invalid (message.too_long for long texts). */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) {
    throw new ApiError(isTooLong(result.issues) ? 'message.too_long' : 'request.invalid', describeIssues(result.issues));
  }
  return result.output;
}

/** Middleware: the JSON body, validated by `schema`, ends up in `c.var.body`. */
export function jsonBody<S extends v.GenericSchema>(schema: S) {
  return createMiddleware<{ Variables: { body: v.InferOutput<S> } }>(async function jsonBody(c, next) {
    const type = c.req.header('content-type') ?? '';
    // Requiring JSON also forces a CORS preflight on cross-site calls, which SameSite cookies back up.
    if (!type.toLowerCase().startsWith('application/json')) throw new ApiError('request.invalid', 'Content-Type must be application/json');
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new ApiError('request.invalid_json', 'Request body is not valid JSON');
    }
    c.set('body', parseOrThrow(schema, raw));
    await next();
  });
}
