import { CORRELATION_PARAM } from './attributes.js';
import { queryPairName, queryPairValue, splitUrl } from './url-parts.js';

/** What replaces the value of a secret-looking query parameter. */
export const REDACTED = 'REDACTED';

/**
 * Query parameter name fragments treated as secret, matched case-insensitively anywhere in the name
 * (`x-api-key`, `accessToken`, `sessionId` …). Over-redacting a harmless value costs nothing.
 */
export const SECRET_PARAM_WORDS: readonly string[] = [
  'token',
  'key',
  'auth',
  'password',
  'passwd',
  'pwd',
  'secret',
  'session',
  'sig',
  'jwt',
  'api_key',
  'access_token',
  'credential',
];

/**
 * Query parameter names redacted only when they are the whole name, case-insensitively: too short to
 * look for inside other names. `sid` is engine.io's live session id (`/socket.io/?EIO=4&transport=websocket&sid=…`).
 */
export const SECRET_PARAM_NAMES: readonly string[] = ['sid'];

export interface ScrubUrlOptions {
  /** More name fragments to redact, on top of SECRET_PARAM_WORDS. Default []. */
  secretParams?: readonly string[];
}

/** Characters a URL must not carry into a span attribute (the WHATWG parser drops them too). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*:)?[\\/]{2}([^/?#\\]*)/;

function isSecretName(name: string, words: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return SECRET_PARAM_NAMES.includes(lower) || words.some((word) => word !== '' && lower.includes(word.toLowerCase()));
}

function dropUserinfo(head: string): string {
  const authority = AUTHORITY.exec(head);
  if (authority) {
    const [whole, scheme = '', hostPart = ''] = authority;
    const at = hostPart.lastIndexOf('@');
    if (at < 0) return head;
    const prefix = whole.slice(0, scheme.length + 2);
    return prefix + hostPart.slice(at + 1) + head.slice(whole.length);
  }
  // `user:pass@host/path` without `//` is not a URL, but still must not leak the password.
  const slash = head.indexOf('/');
  const beforePath = slash < 0 ? head : head.slice(0, slash);
  const at = beforePath.lastIndexOf('@');
  return at < 0 || head.startsWith('/') ? head : head.slice(at + 1);
}

/** A value that itself reads `token=…` (as in `?=token=abc`) hides a secret pair behind an odd name. */
function hidesSecretPair(value: string, words: readonly string[]): boolean {
  const eq = value.indexOf('=');
  return eq > 0 && isSecretName(value.slice(0, eq), words);
}

function scrubQuery(query: string, words: readonly string[]): string {
  const kept: string[] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const name = queryPairName(pair);
    if (name === CORRELATION_PARAM) continue;
    if (isSecretName(name, words) || hidesSecretPair(queryPairValue(pair), words)) {
      const eq = pair.indexOf('=');
      kept.push(`${eq < 0 ? pair : pair.slice(0, eq)}=${REDACTED}`);
    } else {
      kept.push(pair);
    }
  }
  return kept.join('&');
}

/**
 * Makes a URL safe to record as `url.full`: drops userinfo and the fragment, replaces the values of
 * secret-looking query parameters (SECRET_PARAM_WORDS inside a name, SECRET_PARAM_NAMES as the whole name) with REDACTED and removes the `__cw` correlation parameter.
 * Scheme (ws:, wss: …), host, port and path stay as they were; absolute URLs, protocol-relative
 * URLs and path+query all work. Never throws: anything that is not a string or URL gives ''.
 */
export function scrubUrl(url: unknown, opts: ScrubUrlOptions = {}): string {
  let text: string;
  if (typeof url === 'string') text = url;
  else if (typeof URL !== 'undefined' && url instanceof URL) text = url.href;
  else return '';
  const words = opts.secretParams ? [...SECRET_PARAM_WORDS, ...opts.secretParams] : SECRET_PARAM_WORDS;
  const { head, query } = splitUrl(text.trim().replace(CONTROL_CHARS, ''));
  const safeHead = dropUserinfo(head);
  const safeQuery = query === null ? '' : scrubQuery(query, words);
  return safeQuery === '' ? safeHead : `${safeHead}?${safeQuery}`;
}
