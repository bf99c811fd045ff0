import { CORRELATION_PARAM, REDACTED, SECRET_PARAM_NAMES, SECRET_PARAM_WORDS } from '@closewatch/conventions';

/** A query parameter name containing any of conventions' secret words, or being one of its secret names, in any case. */
const SECRET_NAME = new RegExp('^' + SECRET_PARAM_NAMES.join('$|^') + '$|' + SECRET_PARAM_WORDS.join('|'), 'i');

/**
 * conventions' `scrubUrl` rules on a URL the browser already parsed: no userinfo, no fragment, no
 * `__cw`, secret-looking query values REDACTED. The URL API does the parsing that `scrubUrl` carries
 * itself, which keeps the snippet small; a test checks both agree.
 */
export function scrubParsedUrl(url: URL | string): string {
  const scrubbed = new URL(url);
  const query = scrubbed.searchParams;
  scrubbed.username = scrubbed.password = scrubbed.hash = '';
  query.delete(CORRELATION_PARAM);
  for (const name of [...query.keys()]) {
    if (SECRET_NAME.test(name)) query.set(name, REDACTED);
  }
  return scrubbed.href;
}
