import { h } from '../dom.js';
import { hasNarrowingFilter } from '../state/filters.js';
import { routeHref } from '../state/route.js';

/**
 * What a page shows instead of empty charts: with filters set, that nothing matches; otherwise the
 * first-run steps (install an agent, send a test connection).
 */
export function emptyState(params: URLSearchParams): HTMLElement {
  if (hasNarrowingFilter(params)) {
    return h(
      'section',
      { class: 'empty-state', 'data-empty': 'filtered' },
      h('h2', null, 'No connections match these filters'),
      h('p', null, 'Widen the time range or clear a filter to see more.'),
      h('p', null, h('a', { href: routeHref('overview') }, 'Clear all filters')),
    );
  }
  return h(
    'section',
    { class: 'empty-state', 'data-empty': 'first-run' },
    h('h2', null, 'No WebSocket connections recorded yet'),
    h('p', null, 'Closewatch shows why WebSocket connections close once an agent reports them. To get a first record:'),
    h(
      'ol',
      null,
      h('li', null, 'Add the browser snippet to your page and/or start your Node server with the --import line.'),
      h('li', null, 'Or press “Send a test connection” on the Setup page to see a record within a minute.'),
      h('li', null, 'Records appear once both sides reported, or after the join window (30 s by default).'),
    ),
    h('p', null, h('a', { class: 'button', href: routeHref('setup') }, 'Open Setup')),
  );
}
