import * as v from 'valibot';
import { createMiddleware } from 'hono/factory';
import { ApiError, describeIssues, textIssueCode } from '../errors';

/** Parse `value` with `schema` or throw request.invalid (message.empty / message.too_long for texts). */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, value);
  if (!result.success) {
    throw new ApiError(textIssueCode(result.issues) ?? 'request.invalid', describeIssues(result.issues));
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
