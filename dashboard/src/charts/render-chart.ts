import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { h } from '../dom.js';
import { formatTick } from '../format.js';
import { Chart } from './chart-setup.js';
import type { ChartData, ChartSource, ChartSpec } from './chart-spec.js';
import { chartTable, formatValue } from './data-table.js';
import { chartTheme, type ChartTheme } from './theme.js';

/** Long ranges are thinned to about this many points per line before drawing. */
const DECIMATION_SAMPLES = 400;

export interface RenderedChart {
  element: HTMLElement;
  destroy(): void;
}

function points(data: ChartData, values: number[], horizontal: boolean): Array<{ x: number; y: number }> {
  return values.map((value, i) => {
    const x = data.x === 'time' ? Number(data.keys[i]) : i;
    return horizontal ? { x: value, y: x } : { x, y: value };
  });
}

function dataset(spec: ChartSpec, data: ChartData, series: ChartData['series'][number]): ChartDataset {
  const horizontal = spec.kind === 'hbar';
  const base = { label: series.label, data: points(data, series.values, horizontal), borderColor: series.color, backgroundColor: series.color };
  if (spec.kind === 'bar' || spec.kind === 'hbar') return { ...base, type: 'bar', borderWidth: 0, maxBarThickness: 28 };
  const area = spec.kind === 'stacked-area';
  return {
    ...base,
    type: 'line',
    fill: area ? (series === data.series[0] ? 'origin' : '-1') : false,
    backgroundColor: area ? series.color : 'transparent',
    pointRadius: 0,
    pointHitRadius: 6,
    borderWidth: spec.kind === 'sparkline' ? 1.5 : 2,
    tension: 0,
  };
}

function chartConfig(spec: ChartSpec, data: ChartData, theme: ChartTheme): ChartConfiguration {
  const horizontal = spec.kind === 'hbar';
  const sparkline = spec.kind === 'sparkline';
  const keys = data.keys;
  const rangeMs = data.x === 'time' && keys.length > 1 ? Number(keys[keys.length - 1]) - Number(keys[0]) : 0;
  const keyAxis = {
    type: data.x === 'time' ? ('linear' as const) : ('category' as const),
    display: !sparkline,
    grid: { color: theme.grid, display: data.x === 'time' },
    ticks: {
      color: theme.text,
      maxRotation: 0,
      autoSkip: true,
      callback: (value: string | number) => (data.x === 'time' ? formatTick(Number(value), rangeMs) : String(keys[Number(value)] ?? '')),
    },
    ...(data.x === 'category' ? { labels: keys.map(String) } : { min: Number(keys[0] ?? 0), max: Number(keys[keys.length - 1] ?? 0) }),
  };
  const valueAxis = {
    type: 'linear' as const,
    display: !sparkline,
    beginAtZero: true,
    stacked: spec.kind === 'stacked-area',
    grid: { color: theme.grid },
    ticks: { color: theme.text, callback: (value: string | number) => formatValue(Number(value), spec.format) },
  };
  return {
    type: spec.kind === 'bar' || spec.kind === 'hbar' ? 'bar' : 'line',
    data: { datasets: data.series.map((s) => dataset(spec, data, s)) },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      interaction: { mode: 'index', intersect: false },
      scales: horizontal ? { x: valueAxis, y: keyAxis } : { x: keyAxis, y: valueAxis },
      plugins: {
        decimation: { enabled: data.x === 'time' && spec.kind !== 'stacked-area', algorithm: 'lttb', samples: DECIMATION_SAMPLES },
        legend: { display: spec.kind === 'stacked-area', position: 'bottom', labels: { color: theme.text, boxWidth: 12 } },
        tooltip: {
          enabled: !sparkline,
          callbacks: {
            title: (items) => {
              const item = items[0];
              if (!item) return '';
              const raw = item.raw as { x: number; y: number };
              const key = horizontal ? raw.y : raw.x;
              return data.x === 'time' ? formatTick(key, 0) : String(keys[key] ?? '');
            },
            label: (item) => {
              const raw = item.raw as { x: number; y: number };
              return `${item.dataset.label ?? ''}: ${formatValue(horizontal ? raw.x : raw.y, spec.format)}`;
            },
          },
        },
      },
    },
  } as ChartConfiguration;
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
  const chart = empty ? null : new Chart(canvas, chartConfig(spec, data, theme));
  return {
    element,
    destroy: () => chart?.destroy(),
  };
}
