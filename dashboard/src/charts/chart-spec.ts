import type { MassDrop, Summary, Timeseries } from '../api/types.js';
import type { ChartMarker } from './event-markers.js';
import type { ChartTheme } from './theme.js';

/** What the overview and causes pages load once and hand to every chart spec. */
export interface ChartSource {
  summary: Summary;
  timeseries: Timeseries;
  /** Cause id → the taxonomy's title, for legends and tables. */
  causeTitles: Record<string, string>;
  /** Mass drops in the range, drawn as events on time charts that ask for them. */
  massDrops?: MassDrop[];
}

export interface SeriesData {
  label: string;
  color: string;
  /** null = no data in that bucket (drawn as a gap, not as zero). */
  values: Array<number | null>;
}

/** A chart's data, independent of chart.js: x keys (bucket starts or category labels) and parallel series. */
export interface ChartData {
  x: 'time' | 'category';
  keys: Array<number | string>;
  series: SeriesData[];
}

export type ChartKind = 'stacked-bar' | 'line' | 'bar' | 'hbar' | 'sparkline';

/** One chart, declared as data; `renderChart` turns it into a canvas plus a text table. */
export interface ChartSpec {
  id: string;
  title: string;
  kind: ChartKind;
  /** How values read on the axis, tooltips and table. */
  format: 'count' | 'percent';
  /** Which column header the x keys get in the table alternative. */
  xLabel: string;
  data(source: ChartSource, theme: ChartTheme): ChartData;
  /** Events drawn as vertical lines on a time chart (mass drops). */
  markers?(source: ChartSource): ChartMarker[];
}
