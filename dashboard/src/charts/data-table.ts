import { h } from '../dom.js';
import { formatCount, formatPercent, formatTime } from '../format.js';
import type { ChartData, ChartSpec } from './chart-spec.js';

export function formatValue(value: number, format: ChartSpec['format']): string {
  return format === 'percent' ? formatPercent(value) : formatCount(value);
}

function keyText(key: number | string, data: ChartData): string {
  return data.x === 'time' ? formatTime(Number(key)) : String(key);
}

/** The chart's text alternative: one row per x key, one column per series. */
export function chartTable(spec: ChartSpec, data: ChartData): HTMLTableElement {
  return h(
    'table',
    { class: 'data-table', 'data-chart-table': spec.id },
    h('caption', { class: 'visually-hidden' }, spec.title),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, spec.xLabel), ...data.series.map((s) => h('th', { scope: 'col' }, s.label)))),
    h(
      'tbody',
      null,
      ...data.keys.map((key, i) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, keyText(key, data)),
          ...data.series.map((s) => h('td', { class: 'num' }, s.values[i] === null ? '—' : formatValue(s.values[i] ?? 0, spec.format))),
        ),
      ),
    ),
  );
}
