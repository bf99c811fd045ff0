/** A URL or path+query split without parsing or re-encoding anything, so the parts can be put back byte for byte. */
export interface UrlParts {
  /** Everything before `?` or `#`: scheme, authority and path, or just the path. */
  head: string;
  /** The query without its `?`; null when there is no `?`. */
  query: string | null;
  /** The fragment with its `#`, or ''. */
  fragment: string;
}

export function splitUrl(url: string): UrlParts {
  const hashAt = url.indexOf('#');
  const fragment = hashAt < 0 ? '' : url.slice(hashAt);
  const rest = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = rest.indexOf('?');
  if (queryAt < 0) return { head: rest, query: null, fragment };
  return { head: rest.slice(0, queryAt), query: rest.slice(queryAt + 1), fragment };
}

/** Decodes a query component as a form decoder does (`+` is a space); returns the raw text when it is malformed. */
export function decodeQueryComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The name of one `name=value` query pair, decoded. */
export function queryPairName(pair: string): string {
  const eq = pair.indexOf('=');
  return decodeQueryComponent(eq < 0 ? pair : pair.slice(0, eq));
}

/** The value of one `name=value` query pair, decoded; '' when it has no `=`. */
export function queryPairValue(pair: string): string {
  const eq = pair.indexOf('=');
  return eq < 0 ? '' : decodeQueryComponent(pair.slice(eq + 1));
}
