import type { ProbeReport } from './report.js';

/** The `--json` output: one object, schema `closewatch.probe/v1`, documented in probe/README.md. */
export function formatJsonReport(report: ProbeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
