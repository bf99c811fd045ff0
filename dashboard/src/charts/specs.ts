import { PHASES, type CauseId } from '@closewatch/conventions';
import type { ChartSource, ChartSpec } from './chart-spec.js';
import type { ChartMarker } from './event-markers.js';
import { causeColor } from './theme.js';

function causesByVolume(source: Parameters<ChartSpec['data']>[0]): CauseId[] {
  return source.summary.byCause.filter((row) => row.count > 0).map((row) => row.cause);
}

/** `Server gone: 12` at the start of each mass drop. */
export function massDropMarkers(source: ChartSource): ChartMarker[] {
  return (source.massDrops ?? []).map((drop) => ({
    t: drop.firstEndMs,
    label: `${drop.cause === 'server_gone' ? 'server gone' : 'dropped in between'}: ${drop.connections}`,
  }));
}

/** The Overview page's charts, in display order. */
export const OVERVIEW_CHARTS: ChartSpec[] = [
  {
    id: 'closes-by-cause',
    title: 'Closes by cause',
    kind: 'stacked-bar',
    format: 'count',
    xLabel: 'Time',
    data: (source, theme) => ({
      x: 'time',
      keys: source.timeseries.points.map((p) => p.t),
      series: causesByVolume(source).map((cause) => ({
        label: source.causeTitles[cause] ?? cause,
        color: causeColor(cause, theme),
        values: source.timeseries.points.map((p) => p.byCause[cause] ?? 0),
      })),
    }),
    markers: massDropMarkers,
  },
  {
    id: 'rate-1006-trend',
    title: '1006 rate over time',
    kind: 'line',
    format: 'percent',
    xLabel: 'Time',
    data: (source, theme) => ({
      x: 'time',
      keys: source.timeseries.points.map((p) => p.t),
      series: [{ label: '1006 rate', color: theme.warn, values: source.timeseries.points.map((p) => (p.total === 0 ? null : p.rate1006)) }],
    }),
  },
  {
    id: 'rate-1006-by-phase',
    title: '1006 rate by phase',
    kind: 'bar',
    format: 'percent',
    xLabel: 'Phase',
    data: (source, theme) => ({
      x: 'category',
      keys: [...PHASES],
      series: [
        {
          label: '1006 rate',
          color: theme.warn,
          values: PHASES.map((phase) => source.summary.byPhase.find((row) => row.phase === phase)?.rate1006 ?? 0),
        },
      ],
    }),
  },
  {
    id: 'top-routes',
    title: 'Top routes by 1006 rate',
    kind: 'hbar',
    format: 'percent',
    xLabel: 'Route',
    data: (source, theme) => ({
      x: 'category',
      keys: source.summary.topRoutes.map((row) => `${row.service} ${row.route}`),
      series: [{ label: '1006 rate', color: theme.warn, values: source.summary.topRoutes.map((row) => row.rate1006) }],
    }),
  },
  {
    id: 'top-services',
    title: 'Top services by 1006 rate',
    kind: 'hbar',
    format: 'percent',
    xLabel: 'Service',
    data: (source, theme) => ({
      x: 'category',
      keys: source.summary.topServices.map((row) => row.service),
      series: [{ label: '1006 rate', color: theme.warn, values: source.summary.topServices.map((row) => row.rate1006) }],
    }),
  },
  {
    id: 'close-codes',
    title: 'Close codes',
    kind: 'bar',
    format: 'count',
    xLabel: 'Code',
    data: (source, theme) => ({
      x: 'category',
      keys: source.summary.byCode.map((row) => (row.code === null ? 'none' : String(row.code))),
      series: [{ label: 'Connections', color: theme.accent, values: source.summary.byCode.map((row) => row.count) }],
    }),
  },
];

/** The Causes page's sparkline for one cause: its count per bucket. */
export function causeSparkline(cause: CauseId): ChartSpec {
  return {
    id: `sparkline-${cause}`,
    title: `Trend of ${cause}`,
    kind: 'sparkline',
    format: 'count',
    xLabel: 'Time',
    data: (source, theme) => ({
      x: 'time',
      keys: source.timeseries.points.map((p) => p.t),
      series: [
        { label: source.causeTitles[cause] ?? cause, color: causeColor(cause, theme), values: source.timeseries.points.map((p) => p.byCause[cause] ?? 0) },
      ],
    }),
  };
}
