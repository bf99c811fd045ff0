import { h } from '../dom.js';
import { pickFilters } from '../state/filters.js';
import { routeHref, type PageId, type Route } from '../state/route.js';

const NAV_ITEMS: Array<{ page: PageId; label: string }> = [
  { page: 'overview', label: 'Overview' },
  { page: 'causes', label: 'Causes' },
  { page: 'explorer', label: 'Explorer' },
  { page: 'alerts', label: 'Alerts' },
  { page: 'setup', label: 'Setup' },
];

/** Main navigation; links keep the current filters so switching pages keeps the view. */
export function navigation(route: Route): HTMLElement {
  const filters = pickFilters(route.params);
  const current = route.page === 'connection' ? 'explorer' : route.page;
  return h(
    'nav',
    { 'aria-label': 'Pages' },
    h(
      'ul',
      null,
      ...NAV_ITEMS.map((item) =>
        h('li', null, h('a', { href: routeHref(item.page, filters), 'aria-current': item.page === current ? 'page' : null }, item.label)),
      ),
    ),
  );
}
