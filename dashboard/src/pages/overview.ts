import { loadCauseTitles } from '../api/causes.js';
import { apiGet } from '../api/client.js';
import type { MassDropList, Summary, Timeseries } from '../api/types.js';
import { massDropList } from '../components/mass-drop-list.js';
import type { ChartSource } from '../charts/chart-spec.js';
import { renderChart } from '../charts/render-chart.js';
import { warmUpCharts } from '../charts/warm-up.js';
import { OVERVIEW_CHARTS } from '../charts/specs.js';
import { emptyState } from '../components/first-run.js';
import { errorMessage } from '../components/message.js';
import { statTile } from '../components/stat-tile.js';
import { h, replaceChildren } from '../dom.js';
import { formatCount, formatPercent } from '../format.js';
import { pickFilters } from '../state/filters.js';
import type { Page, PageContext } from './page.js';

/** 1006 rate of the later half of the range against the earlier half: the trend shown under the rate. */
export function rateTrend(series: Timeseries): { earlier: number; later: number } | null {
  const half = Math.floor(series.points.length / 2);
  if (half === 0) return null;
  const sum = (points: Timeseries['points']) => points.reduce((acc, p) => ({ total: acc.total + p.total, c: acc.c + p.closes1006 }), { total: 0, c: 0 });
  const a = sum(series.points.slice(0, half));
  const b = sum(series.points.slice(half));
  if (a.total === 0 || b.total === 0) return null;
  return { earlier: a.c / a.total, later: b.c / b.total };
}

function trendNote(series: Timeseries): string {
  const trend = rateTrend(series);
  if (trend === null) return 'Not enough data for a trend.';
  const delta = trend.later - trend.earlier;
  const direction = Math.abs(delta) < 0.0005 ? 'steady' : delta > 0 ? 'rising' : 'falling';
  return `${direction}: ${formatPercent(trend.earlier)} → ${formatPercent(trend.later)} (first vs second half of the range)`;
}

function headline(summary: Summary, series: Timeseries): HTMLElement {
  return h(
    'section',
    { class: 'stats', 'aria-label': 'Headline numbers' },
    statTile('total', 'Connections', formatCount(summary.total)),
    statTile('closes1006', '1006 closes', formatCount(summary.closes1006)),
    statTile('rate1006', '1006 rate', formatPercent(summary.rate1006), trendNote(series)),
    statTile('observed-both', 'Seen by both sides', formatCount(summary.byObserver.find((o) => o.observedBy === 'both')?.count ?? 0)),
  );
}

async function renderOverview(ctx: PageContext): Promise<void> {
  const filters = pickFilters(ctx.route.params);
  let source: ChartSource;
  try {
    const loads = Promise.all([
      apiGet<Summary>('/summary', filters, ctx.signal),
      apiGet<Timeseries>('/timeseries', filters, ctx.signal),
      loadCauseTitles(),
      // events on the timeline; the overview stands without them (an older collector has no such route)
      apiGet<MassDropList>('/mass-drops', filters, ctx.signal).catch(() => null),
    ]);
    warmUpCharts();
    const [summary, timeseries, causeTitles, drops] = await loads;
    source = { summary, timeseries, causeTitles, massDrops: drops?.massDrops ?? [] };
  } catch (error) {
    if (ctx.signal.aborted) return;
    replaceChildren(ctx.root, errorMessage(error, 'the overview'));
    return;
  }
  if (ctx.signal.aborted) return;
  if (source.summary.total === 0) {
    replaceChildren(ctx.root, emptyState(ctx.route.params));
    return;
  }
  const grid = h('section', { class: 'chart-grid', 'aria-label': 'Charts' });
  const drops = source.massDrops ?? [];
  replaceChildren(ctx.root, headline(source.summary, source.timeseries), drops.length > 0 ? massDropList(drops) : null, grid);
  for (const spec of OVERVIEW_CHARTS) {
    const chart = renderChart(spec, source, grid);
    ctx.onCleanup(chart.destroy);
  }
}

export const overviewPage: Page = { title: 'Overview', refreshable: true, filtered: true, render: renderOverview };
