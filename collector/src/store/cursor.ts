import { CollectorError } from '../errors.js';

/** Position after the last listed close: the sort key (end time, id) of that row. */
export interface ClosePosition {
  endTimeMs: number;
  id: string;
}

/** An opaque cursor: base64url of the position, so clients cannot depend on its shape. */
export function encodeCursor(position: ClosePosition): string {
  return Buffer.from(JSON.stringify([position.endTimeMs, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ClosePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || !Number.isSafeInteger(decoded[0]) || typeof decoded[1] !== 'string') {
    throw new CollectorError('invalid_filter', 'The cursor is invalid; use nextCursor from a previous page.');
  }
  const [endTimeMs, id] = decoded as [number, string];
  return { endTimeMs, id };
}
