/** The dashboard's pages; the current one and its parameters live in the URL hash so a view can be shared. */
export const PAGES = ['overview', 'causes', 'explorer', 'connection', 'alerts', 'setup'] as const;
export type PageId = (typeof PAGES)[number];

export interface Route {
  page: PageId;
  /** Path segment after the page, e.g. the connection id of `#/connection/<id>`. */
  id: string | null;
  params: URLSearchParams;
}

/** `#/explorer?cause=client_offline` → { page: 'explorer', params }; anything unknown → overview. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const queryAt = text.indexOf('?');
  const path = queryAt < 0 ? text : text.slice(0, queryAt);
  const params = new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1));
  const [first = '', ...rest] = path.split('/');
  const page = (PAGES as readonly string[]).includes(first) ? (first as PageId) : 'overview';
  const id = rest.length > 0 && rest[0] !== '' ? decodeURIComponent(rest.join('/')) : null;
  return { page, id, params };
}

export function routeHref(page: PageId, params?: URLSearchParams, id?: string): string {
  const query = params && params.size > 0 ? `?${params.toString()}` : '';
  return `#/${page}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${query}`;
}

export function currentRoute(): Route {
  return parseRoute(location.hash);
}

export function navigate(page: PageId, params?: URLSearchParams, id?: string): void {
  location.hash = routeHref(page, params, id);
}
