import { h } from '../dom.js';
import { withParam } from '../state/filters.js';
import { routeHref } from '../state/route.js';

interface AppFields {
  appProtocol: string | null;
  appReason: string | null;
}

/**
 * `socket.io · ping timeout`: the app protocol on top of WebSocket and its own word on the close, each a
 * link to the Explorer filtered by it. Null for a plain WebSocket connection.
 */
export function appLabel(row: AppFields, filters: URLSearchParams): HTMLElement | null {
  if (row.appProtocol === null) return null;
  const byProtocol = withParam(filters, 'app', row.appProtocol);
  return h(
    'span',
    { class: 'app-label' },
    h('a', { href: routeHref('explorer', byProtocol), title: `Show only ${row.appProtocol} connections` }, row.appProtocol),
    row.appReason === null
      ? null
      : h(
          'span',
          null,
          ' · ',
          h(
            'a',
            { href: routeHref('explorer', withParam(byProtocol, 'app_reason', row.appReason)), title: 'Show only closes with this reason' },
            row.appReason,
          ),
        ),
  );
}
