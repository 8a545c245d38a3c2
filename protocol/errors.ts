/** Every error code the API and sockets can answer with, and the HTTP status each one maps to. */
export const ERROR_STATUS = {
  'request.invalid_json': 400,
  'request.invalid': 400,
  'request.not_found': 404,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.tenant_required': 400,
  'auth.token_invalid': 401,
  'auth.token_expired': 401,
  'auth.forbidden': 403,
  'auth.origin_forbidden': 403,
  'auth.hello_required': 401,
  'auth.hello_timeout': 401,
  'brand.not_found': 404,
  'conversation.not_found': 404,
  'conversation.closed': 409,
  'agent.not_found': 404,
  'team.not_found': 404,
  'team.in_use': 409,
  'prechat.too_late': 409,
  'topic.not_found': 404,
  'conversation.topic_required': 409,
  'macro.not_found': 404,
  'macro.variable_unknown': 400,
  'macro.variable_unavailable': 409,
  'frame.invalid_json': 400,
  'frame.invalid': 400,
  'message.empty': 400,
  'message.too_long': 400,
  'csat.not_resolved': 409,
  'contact.attributes_too_large': 400,
  'complaint.not_found': 404,
  'complaint.answered': 409,
  'complaint.no_draft': 409,
  'letter.not_found': 404,
  'letter.link_invalid': 403,
  'letter.corrupt': 500,
  'document.too_large': 413,
  'document.too_many': 400,
  'document.type_refused': 415,
  'document.type_mismatch': 415,
  'document.infected': 422,
  'document.not_found': 404,
  'document.link_invalid': 403,
  'document.link_expired': 403,
  'rate.limited': 429,
  'server.error': 500,
} as const;

/** A machine-readable error code, `noun.reason`. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error shape of every HTTP error response. */
export interface ErrorBody {
  /** `retryAfter`: seconds to wait, on `rate.limited` (also sent as the `Retry-After` header). */
  error: { code: ErrorCode; message: string; retryAfter?: number };
}

/** WebSocket close codes: 4400 bad request, 4401 unauthenticated, 4403 forbidden. */
export const CLOSE = {
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
} as const;

/** The longest message text accepted, in UTF-16 code units. */
export const MAX_TEXT = 8000;
