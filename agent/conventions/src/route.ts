/**
 * Route normalisation: turns a concrete path into a low-cardinality `websocket.route`.
 *
 * Segment placeholders, checked in this order:
 * - `:uuid`  a UUID (any version)
 * - `:date`  an ISO date or date-time (`2024-05-01`, `2024-05-01T10:00:00Z`)
 * - `:email` an email address
 * - `:id`    a number, a 0x/long hex id (≥8 hex characters with a digit, e.g. a MongoDB ObjectId),
 *            or a word with a numeric suffix (`room-42`, `order_1001`)
 * - `:token` a JWT, a long random-looking token (a ≥10 character run mixing letters and ≥2 digits),
 *            or any segment longer than 48 characters
 * User patterns run first on the whole path; a segment already starting with `:` is kept.
 */

export interface RoutePattern {
  /** A RegExp, or the source of one (compiled with the `g` flag); an invalid source is ignored. */
  pattern: RegExp | string;
  replacement: string;
}

export interface NormalizeRouteOptions {
  /** Applied in order to the whole path before the built-in rules. Default []. */
  patterns?: readonly RoutePattern[];
  /** Longest route returned, in characters. Default 128. */
  maxLength?: number;
  /** Most segments kept; the rest become one `*`. Default 12. */
  maxSegments?: number;
}

export const ROUTE_MAX_LENGTH = 128;
export const ROUTE_MAX_SEGMENTS = 12;
const LONG_SEGMENT = 48;
/** Marks the place where a route was cut to its bound. */
const REST = '*';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/;
const NUMBER = /^[+-]?\d+([.,]\d+)?$/;
const HEX_ID = /^(0x[0-9a-f]+|(?=[0-9a-f]*\d)[0-9a-f]{8,})$/i;
const NUMBERED = /^[A-Za-z]+[-_]\d{2,}$/;
const JWT = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
const TOKEN_CHARS = /^[A-Za-z0-9_\-+=.~%]+$/;
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

function looksRandom(segment: string): boolean {
  if (!TOKEN_CHARS.test(segment)) return false;
  return segment.split(/[-_.~]/).some((run) => run.length >= 10 && /[A-Za-z]/.test(run) && /\d.*\d/.test(run));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The placeholder for one path segment, or the segment itself when it looks like a fixed name. */
export function normalizeSegment(raw: string): string {
  if (raw.startsWith(':')) return raw;
  const segment = decodeSegment(raw);
  if (UUID.test(segment)) return ':uuid';
  if (DATE.test(segment)) return ':date';
  if (EMAIL.test(segment)) return ':email';
  if (NUMBER.test(segment) || HEX_ID.test(segment) || NUMBERED.test(segment)) return ':id';
  if (JWT.test(segment) || looksRandom(segment) || segment.length > LONG_SEGMENT) return ':token';
  return raw;
}

function applyPatterns(path: string, patterns: readonly RoutePattern[]): string {
  let result = path;
  for (const { pattern, replacement } of patterns) {
    try {
      const regexp = typeof pattern === 'string' ? new RegExp(pattern, 'g') : pattern;
      result = result.replace(regexp, replacement);
    } catch {
      // An invalid user pattern must not break span recording; it is skipped.
    }
  }
  return result;
}

function pathOf(input: string): string {
  const withoutOrigin = input.replace(ABSOLUTE, '');
  const end = withoutOrigin.search(/[?#]/);
  return end < 0 ? withoutOrigin : withoutOrigin.slice(0, end);
}

/**
 * `/rooms/12345/messages?x=1` → `/rooms/:id/messages`. Accepts a path, a path+query or an absolute
 * URL; returns `/` for an empty path. Never throws.
 */
export function normalizeRoute(path: unknown, opts: NormalizeRouteOptions = {}): string {
  if (typeof path !== 'string') return '/';
  const maxLength = opts.maxLength ?? ROUTE_MAX_LENGTH;
  const maxSegments = opts.maxSegments ?? ROUTE_MAX_SEGMENTS;
  const patterned = applyPatterns(pathOf(path.trim()), opts.patterns ?? []);
  let segments = patterned
    .split('/')
    .filter((segment) => segment !== '')
    .map(normalizeSegment);
  if (segments.length > maxSegments) segments = [...segments.slice(0, maxSegments), REST];
  let route = `/${segments.join('/')}`;
  if (route.length > maxLength) {
    const cut = route.lastIndexOf('/', maxLength - REST.length - 1);
    route = `${cut <= 0 ? '' : route.slice(0, cut)}/${REST}`;
  }
  return route;
}
