import type { CollectorView } from './collector-view.js';
import type { FleetRun } from './run-fleet.js';

function rows(entries: Array<[string, number]>, width: number): string {
  return entries.map(([label, count]) => `  ${label.padEnd(width)}  ${String(count).padStart(5)}\n`).join('');
}

/** The few lines `closewatch demo` prints at the end: what the fleet did, what the collector made of it, where to look. */
export function formatDemoSummary(run: FleetRun, view: CollectorView, collectorUrl: string): string {
  const seconds = ((run.endedAtMs - run.startedAtMs) / 1000).toFixed(1);
  const scenarios = [...run.byScenario.entries()].sort((a, b) => b[1] - a[1]);
  const causes = view.byCause.map(({ cause, count }): [string, number] => [cause, count]);
  const pending = run.launched - view.total;
  const width = Math.max(...[...scenarios, ...causes].map(([label]) => label.length), 10);
  return (
    `closewatch demo: ${run.launched} connections in ${seconds} s, reported to ${collectorUrl}\n\n` +
    `What the fleet did:\n${rows(scenarios, width)}\n` +
    `What the collector found (${view.total} classified${pending > 0 ? `, ${pending} still waiting for their other side` : ''}):\n` +
    `${causes.length > 0 ? rows(causes, width) : '  nothing yet\n'}\n` +
    `Dashboard: ${collectorUrl}/\n`
  );
}
