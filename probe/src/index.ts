export { runProbeCommand, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, type ProbeIo } from './cli.js';
export { runProbe } from './run-probe.js';
export type { ProbeReport } from './report.js';
export { PROBE_USAGE } from './usage.js';
