import { parseProbeArgs } from './args.js';
import { formatHumanReport } from './format-human.js';
import { formatJsonReport } from './format-json.js';
import { PROCESS_IO, type ProbeIo } from './io.js';
import { EXIT_PROBLEM, EXIT_USAGE, runProbe } from './run-probe.js';
import { chooseStyle } from './style.js';
import { PROBE_USAGE } from './usage.js';
import { ProbeUsageError } from './usage-error.js';

export type { ProbeIo } from './io.js';
export { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from './run-probe.js';

/** `closewatch probe <ws-url> [...]`: prints the report and returns the process exit code (0 ok, 1 problem, 2 usage). */
export async function runProbeCommand(argv: string[], io: ProbeIo = PROCESS_IO): Promise<number> {
  let parsed;
  try {
    parsed = parseProbeArgs(argv);
  } catch (error) {
    if (!(error instanceof ProbeUsageError)) throw error;
    io.stderr(`closewatch probe: ${error.message}\nRun 'closewatch probe --help' for usage.\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    io.stdout(PROBE_USAGE);
    return 0;
  }
  const { options } = parsed;
  const interrupt = io.handleSigint === true && options.holdMs !== null ? interruptOnSigint() : null;
  try {
    const report = await runProbe(options, interrupt?.signal);
    io.stdout(options.json ? formatJsonReport(report) : formatHumanReport(report, chooseStyle(io.isTTY ?? false, io.env ?? process.env)));
    return report.exitCode;
  } catch (error) {
    // A bug in the probe, not a verdict about the endpoint: say so rather than print a half report.
    io.stderr(`closewatch probe: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_PROBLEM;
  } finally {
    interrupt?.release();
  }
}

/** The first Ctrl-C ends a long --hold early and still prints the report; a second one exits at once. */
function interruptOnSigint(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  function probeOnSigint() {
    controller.abort();
  }
  process.once('SIGINT', probeOnSigint);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', probeOnSigint) };
}
