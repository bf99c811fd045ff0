import { loadCauses } from '../api/causes.js';
import { apiGet } from '../api/client.js';
import type { CauseInfo, Summary, Timeseries } from '../api/types.js';
import type { ChartSource } from '../charts/chart-spec.js';
import { renderChart } from '../charts/render-chart.js';
import { causeSparkline } from '../charts/specs.js';
import { emptyState } from '../components/first-run.js';
import { errorMessage } from '../components/message.js';
import { h, replaceChildren } from '../dom.js';
import { formatCount, formatPercent, humanizeId } from '../format.js';
import { pickFilters, withParam } from '../state/filters.js';
import { routeHref } from '../state/route.js';
import type { Page, PageContext } from './page.js';

function causeCard(row: Summary['byCause'][number], info: CauseInfo | undefined, filters: URLSearchParams): { card: HTMLElement; trend: HTMLElement } {
  const trend = h('div', { class: 'cause-trend', 'aria-label': `Trend of ${info?.title ?? row.cause} over the range` });
  const card = h(
    'article',
    { class: 'cause-card', 'data-cause': row.cause, 'aria-labelledby': `cause-${row.cause}` },
    h('header', null, h('h2', { id: `cause-${row.cause}` }, info?.title ?? humanizeId(row.cause)), h('code', { class: 'cause-id' }, row.cause)),
    h(
      'div',
      { class: 'cause-numbers' },
      h('span', { class: 'cause-count', 'data-field': 'count' }, `${formatCount(row.count)} ${row.count === 1 ? 'close' : 'closes'}`),
      h('span', { class: 'cause-share', 'data-field': 'share' }, `${formatPercent(row.share)} of all`),
      info ? h('span', { class: 'badge' }, `phase: ${info.phase}`) : null,
    ),
    trend,
    info ? h('p', { class: 'explanation' }, info.explanation) : null,
    info ? h('div', { class: 'remediation' }, h('h3', null, 'What to do'), h('p', null, info.remediation)) : null,
    h(
      'a',
      { class: 'button', href: routeHref('explorer', withParam(filters, 'cause', row.cause)) },
      row.count === 1 ? 'Show this connection' : `Show these ${formatCount(row.count)} connections`,
    ),
  );
  return { card, trend };
}

async function renderCauses(ctx: PageContext): Promise<void> {
  const filters = pickFilters(ctx.route.params);
  let summary: Summary;
  let timeseries: Timeseries;
  let taxonomy: CauseInfo[];
  try {
    [summary, timeseries, taxonomy] = await Promise.all([
      apiGet<Summary>('/summary', filters, ctx.signal),
      apiGet<Timeseries>('/timeseries', filters, ctx.signal),
      loadCauses(),
    ]);
  } catch (error) {
    if (!ctx.signal.aborted) replaceChildren(ctx.root, errorMessage(error, 'the causes'));
    return;
  }
  if (ctx.signal.aborted) return;
  const seen = summary.byCause.filter((row) => row.count > 0);
  if (seen.length === 0) {
    replaceChildren(ctx.root, emptyState(ctx.route.params));
    return;
  }
  const byId = new Map(taxonomy.map((c) => [c.id, c]));
  const source: ChartSource = { summary, timeseries, causeTitles: Object.fromEntries(taxonomy.map((c) => [c.id, c.title])) };
  const list = h('div', { class: 'cause-cards' });
  replaceChildren(ctx.root, h('p', { class: 'lead' }, `${seen.length} causes seen across ${formatCount(summary.total)} connections in this range.`), list);
  for (const row of seen) {
    const { card, trend } = causeCard(row, byId.get(row.cause), filters);
    list.appendChild(card);
    ctx.onCleanup(renderChart(causeSparkline(row.cause), source, trend).destroy);
  }
}

export const causesPage: Page = { title: 'Causes', refreshable: true, filtered: true, render: renderCauses };
