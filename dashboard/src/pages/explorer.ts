import { apiGet } from '../api/client.js';
import { loadCauseTitles } from '../api/causes.js';
import { closesQuery } from '../api/page-queries.js';
import type { CloseListItem, ClosePage } from '../api/types.js';
import { appLabel } from '../components/app-label.js';
import { dataGrid, type Column } from '../components/data-grid.js';
import { emptyState } from '../components/first-run.js';
import { errorMessage } from '../components/message.js';
import { h, replaceChildren } from '../dom.js';
import { formatCode, formatMs, formatTime, humanizeId } from '../format.js';
import { pickFilters, withParam } from '../state/filters.js';
import { routeHref } from '../state/route.js';
import type { Page, PageContext } from './page.js';

function columns(causeTitles: Record<string, string>, filters: URLSearchParams): Array<Column<CloseListItem>> {
  return [
    { header: 'Time', cell: (row) => h('a', { href: routeHref('connection', filters, row.id) }, formatTime(row.endTimeMs)) },
    {
      header: 'Service',
      cell: (row) => h('a', { href: routeHref('explorer', withParam(filters, 'service', row.service)), title: 'Show only this service' }, row.service),
    },
    {
      header: 'Route',
      cell: (row) => h('a', { href: routeHref('explorer', withParam(filters, 'route', row.route)), title: 'Show only this route' }, row.route),
    },
    { header: 'Code', cell: (row) => formatCode(row.code), numeric: true },
    { header: 'Cause', cell: (row) => causeTitles[row.cause] ?? humanizeId(row.cause) },
    { header: 'Phase', cell: (row) => row.phase },
    { header: 'Handshake', cell: (row) => formatMs(row.handshakeMs), numeric: true },
    { header: 'Open for', cell: (row) => formatMs(row.openMs), numeric: true },
    { header: 'Observed by', cell: (row) => row.observedBy },
    { header: 'Framework', cell: (row) => appLabel(row, filters) ?? '' },
  ];
}

function pager(ctx: PageContext, page: ClosePage, pageNumber: number): HTMLElement {
  const params = ctx.route.params;
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of connections' },
    pageNumber > 1 ? h('a', { href: routeHref('explorer', withParam(withParam(params, 'cursor', null), 'page', null)) }, 'First page') : null,
    pageNumber > 1 ? h('button', { type: 'button', on: { click: () => history.back() } }, 'Previous page') : null,
    h('span', { class: 'pager-position' }, `Page ${pageNumber}`),
    page.nextCursor
      ? h(
          'a',
          { rel: 'next', href: routeHref('explorer', withParam(withParam(params, 'cursor', page.nextCursor), 'page', String(pageNumber + 1))) },
          'Next page',
        )
      : h('span', { class: 'pager-end' }, 'Last page'),
  );
}

async function renderExplorer(ctx: PageContext): Promise<void> {
  const filters = pickFilters(ctx.route.params);
  const query = closesQuery(ctx.route.params);
  let page: ClosePage;
  let causeTitles: Record<string, string>;
  try {
    [page, causeTitles] = await Promise.all([apiGet<ClosePage>('/closes', query, ctx.signal), loadCauseTitles()]);
  } catch (error) {
    if (!ctx.signal.aborted) replaceChildren(ctx.root, errorMessage(error, 'connections'));
    return;
  }
  if (ctx.signal.aborted) return;
  const pageNumber = Math.max(1, Number(ctx.route.params.get('page') ?? '1') || 1);
  if (page.items.length === 0 && pageNumber === 1) {
    replaceChildren(ctx.root, emptyState(ctx.route.params));
    return;
  }
  replaceChildren(
    ctx.root,
    dataGrid('Connections, newest first', columns(causeTitles, filters), page.items, { 'data-table': 'closes' }),
    pager(ctx, page, pageNumber),
  );
}

export const explorerPage: Page = { title: 'Explorer', refreshable: true, filtered: true, render: renderExplorer };
