import type { ChartConfiguration, ChartDataset, Scale } from 'chart.js';
import { h } from '../dom.js';
import { formatTick } from '../format.js';
import { Chart } from './chart-setup.js';
import type { ChartData, ChartSource, ChartSpec } from './chart-spec.js';
import { chartTable, formatValue } from './data-table.js';
import { markerPlugin, type ChartMarker } from './event-markers.js';
import { chartTheme, type ChartTheme } from './theme.js';
import { timeTicks, timeTickStep } from './time-ticks.js';

/** Long ranges are thinned to about this many points per line before drawing. */
const DECIMATION_SAMPLES = 400;
/** Room one time label needs on the axis (px). */
const TIME_TICK_SPACING_PX = 90;
/** Performance mark set each time a full chart has been drawn. */
export const FIRST_CHART_MARK = 'closewatch:chart-drawn';

export interface RenderedChart {
  element: HTMLElement;
  destroy(this: void): void;
}

type Point = { x: number; y: number };

/** chart.js's internal point format, so `parsing: false` can skip its parse pass; gaps are left out. */
function points(data: ChartData, values: Array<number | null>, horizontal: boolean): Point[] {
  const out: Point[] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    const x = data.x === 'time' ? Number(data.keys[i]) : i;
    out.push(horizontal ? { x: value, y: x } : { x, y: value });
  });
  return out;
}

function dataset(spec: ChartSpec, data: ChartData, series: ChartData['series'][number]): ChartDataset {
  const horizontal = spec.kind === 'hbar';
  const base = { label: series.label, data: points(data, series.values, horizontal), borderColor: series.color, backgroundColor: series.color };
  if (spec.kind === 'bar' || spec.kind === 'hbar' || spec.kind === 'stacked-bar') {
    return { ...base, type: 'bar', borderWidth: 0, maxBarThickness: 28, ...(spec.kind === 'stacked-bar' ? { barPercentage: 1, categoryPercentage: 0.9 } : {}) };
  }
  const sparse = base.data.length < 40;
  return {
    ...base,
    type: 'line',
    fill: false,
    backgroundColor: series.color,
    pointRadius: spec.kind === 'sparkline' || !sparse ? 0 : 2.5,
    pointHitRadius: 6,
    borderWidth: spec.kind === 'sparkline' ? 1.5 : 2,
    spanGaps: true,
    tension: 0,
  };
}

/** Time axis from the first to the last bucket (plus one bucket for bars), ticks on round local times. */
function timeAxisBounds(data: ChartData, spec: ChartSpec): { min: number; max: number } {
  const first = Number(data.keys[0] ?? 0);
  const last = Number(data.keys[data.keys.length - 1] ?? 0);
  const bucket = data.keys.length > 1 ? Number(data.keys[1]) - first : 0;
  return spec.kind === 'stacked-bar' ? { min: first - bucket / 2, max: last + bucket / 2 } : { min: first, max: last };
}

function chartConfig(spec: ChartSpec, data: ChartData, theme: ChartTheme, widthPx: number, markers: ChartMarker[] = []): ChartConfiguration {
  const horizontal = spec.kind === 'hbar';
  const sparkline = spec.kind === 'sparkline';
  const stacked = spec.kind === 'stacked-bar';
  const keys = data.keys;
  const time = data.x === 'time';
  const bounds = time ? timeAxisBounds(data, spec) : null;
  const rangeMs = bounds ? bounds.max - bounds.min : 0;
  const keyAxis = {
    type: time ? ('linear' as const) : ('category' as const),
    display: !sparkline,
    stacked,
    offset: !time,
    grid: { color: theme.grid, display: time },
    ticks: {
      color: theme.text,
      maxRotation: 0,
      autoSkip: !time,
      callback: (value: string | number) => (time ? formatTick(Number(value), rangeMs) : String(keys[Number(value)] ?? '')),
    },
    ...(bounds
      ? {
          ...bounds,
          afterBuildTicks: (scale: Scale) => {
            scale.ticks = timeTicks(bounds.min, bounds.max, timeTickStep(rangeMs, Math.max(2, Math.floor(widthPx / TIME_TICK_SPACING_PX)))).map((value) => ({
              value,
            }));
          },
        }
      : { labels: keys.map(String) }),
  };
  const valueAxis = {
    type: 'linear' as const,
    display: !sparkline,
    beginAtZero: true,
    stacked,
    ...(spec.format === 'percent' ? { suggestedMax: 0.05 } : { suggestedMax: 1 }),
    grid: { color: theme.grid },
    ticks: { color: theme.text, precision: spec.format === 'count' ? 0 : 3, callback: (value: string | number) => formatValue(Number(value), spec.format) },
  };
  return {
    type: spec.kind === 'line' || sparkline ? 'line' : 'bar',
    data: { datasets: data.series.map((s) => dataset(spec, data, s)) },
    plugins: markers.length > 0 && time ? [markerPlugin(markers, theme.warn)] : [],
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      interaction: { mode: stacked ? 'x' : 'index', intersect: false },
      scales: horizontal ? { x: valueAxis, y: keyAxis } : { x: keyAxis, y: valueAxis },
      plugins: {
        decimation: { enabled: time && spec.kind === 'line', algorithm: 'lttb', samples: DECIMATION_SAMPLES },
        legend: { display: stacked, position: 'bottom', labels: { color: theme.text, boxWidth: 12 } },
        tooltip: {
          enabled: !sparkline,
          callbacks: {
            title: (items) => {
              const item = items[0];
              if (!item) return '';
              const raw = item.raw as Point;
              const key = horizontal ? raw.y : raw.x;
              return time ? formatTick(key, 0) : String(keys[key] ?? '');
            },
            label: (item) => {
              const raw = item.raw as Point;
              return `${item.dataset.label ?? ''}: ${formatValue(horizontal ? raw.x : raw.y, spec.format)}`;
            },
          },
        },
      },
    },
  };
}

/**
 * The one function that turns a chart spec into a chart: a titled figure with a canvas (labelled
 * for screen readers) and the same numbers as a table behind a disclosure, appended to `host`
 * before the chart is drawn so it sizes to its container.
 */
export function renderChart(spec: ChartSpec, source: ChartSource, host: HTMLElement): RenderedChart {
  const theme = chartTheme();
  const data = spec.data(source, theme);
  const canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title}: chart; the same data is in the table below` });
  const sparkline = spec.kind === 'sparkline';
  const empty = data.series.length === 0 || data.keys.length === 0;
  const element = h(
    'figure',
    { class: sparkline ? 'chart sparkline' : 'chart', 'data-chart': spec.id },
    sparkline ? null : h('figcaption', null, spec.title),
    empty ? h('p', { class: 'chart-empty' }, 'No data for this chart in the selected range.') : h('div', { class: 'chart-canvas' }, canvas),
    sparkline || empty ? null : h('details', { class: 'chart-table' }, h('summary', null, 'Show as table'), chartTable(spec, data)),
  );
  host.appendChild(element);
  const chart = empty ? null : new Chart(canvas, chartConfig(spec, data, theme, element.clientWidth, spec.markers?.(source)));
  // Lets the benchmark (and anyone profiling) read time-to-first-chart from the Performance API.
  if (chart !== null && !sparkline) performance.mark(FIRST_CHART_MARK);
  return {
    element,
    destroy: () => chart?.destroy(),
  };
}
