import * as v from 'valibot';
import { base64url } from 'jose';
import { ApiError } from './errors';

/**
 * The one cursor format of every paged list: a position (a sort key and an id) as base64url JSON.
 * Opaque to clients; a cursor this API did not give out is a clear request.invalid, never a 500.
 */
export interface Position {
  key: number;
  id: string;
}

const Shape = v.tuple([v.number(), v.pipe(v.string(), v.maxLength(200))]);

/** The cursor that continues after `p`. */
export function encodeCursor(p: Position): string {
  return base64url.encode(JSON.stringify([p.key, p.id]));
}

/** The position a cursor stands for; throws request.invalid for anything else. */
export function decodeCursor(text: string): Position {
  try {
    const [key, id] = v.parse(Shape, JSON.parse(new TextDecoder().decode(base64url.decode(text))));
    return { key, id };
  } catch {
    throw new ApiError('request.invalid', 'cursor is not one this API gave out');
  }
}
