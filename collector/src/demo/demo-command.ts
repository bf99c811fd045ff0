import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../config/option-value.js';
import { startCollector } from '../start-collector.js';
import { StartupError } from '../startup-error.js';
import { waitForCollectorView } from './collector-view.js';
import { DEFAULT_DEMO_OPTIONS, DemoOptionError, parseCollectorUrl, parseDemoDuration, parsePort, parseRate, type DemoOptions } from './demo-options.js';
import { formatDemoSummary } from './demo-summary.js';
import { DEMO_USAGE } from './demo-usage.js';
import { runFleet } from './run-fleet.js';

export interface DemoIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const EXIT_USAGE = 2;
const HEALTH_TIMEOUT_MS = 3000;
/** How long the summary waits for the collector to finalise the last connections. */
const SETTLE_TIMEOUT_MS = 15_000;

/** Parses the command line; `null` means help was asked for. Throws DemoOptionError naming the option. */
export function parseDemoArgs(argv: string[]): DemoOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        collector: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        key: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new DemoOptionError((error as Error).message);
  }
  if (values.help) return null;
  const text = (name: string) => values[name] as string | undefined;
  const startFlags = ['port', 'data-dir', 'database-url'].filter((name) => text(name) !== undefined);
  if (text('collector') !== undefined && startFlags.length > 0) {
    throw new DemoOptionError(`--${startFlags[0]} configures a collector the demo starts; it cannot be combined with --collector`);
  }
  return {
    collectorUrl: text('collector') === undefined ? null : parseCollectorUrl(text('collector')!),
    port: text('port') === undefined ? DEFAULT_DEMO_OPTIONS.port : parsePort(text('port')!),
    dataDir: text('data-dir') ?? DEFAULT_DEMO_OPTIONS.dataDir,
    databaseUrl: text('database-url') ?? DEFAULT_DEMO_OPTIONS.databaseUrl,
    key: text('key') || DEFAULT_DEMO_OPTIONS.key,
    durationMs: text('duration') === undefined ? DEFAULT_DEMO_OPTIONS.durationMs : parseDemoDuration(text('duration')!),
    rate: text('rate') === undefined ? DEFAULT_DEMO_OPTIONS.rate : parseRate(text('rate')!),
  };
}

/** Resolves with null when a collector answers /healthz at `url`, else with the reason it does not. */
async function collectorUnreachable(url: string): Promise<string | null> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    return response.ok ? null : `/healthz answered ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}

/** The collector to report to: the given one, the one already answering on the port, or one started there. */
async function resolveCollector(options: DemoOptions, io: DemoIo): Promise<{ url: string; started: boolean }> {
  if (options.collectorUrl !== null) {
    const reason = await collectorUnreachable(options.collectorUrl);
    if (reason !== null) {
      throw new StartupError(
        `no collector answers at ${options.collectorUrl} (${reason}); start one with \`closewatch start\`, or drop --collector to let the demo start one`,
      );
    }
    return { url: options.collectorUrl, started: false };
  }
  const local = `http://127.0.0.1:${options.port}`;
  if ((await collectorUnreachable(local)) === null) {
    io.stderr(`closewatch demo: using the collector already running at ${local}\n`);
    return { url: local, started: false };
  }
  const flags: Record<string, string> = { port: String(options.port), host: '127.0.0.1' };
  if (options.dataDir !== null) flags.dataDir = options.dataDir;
  if (options.databaseUrl !== null) flags.databaseUrl = options.databaseUrl;
  const collector = await startCollector(loadConfig({ env: io.env, flags }), {
    handleSignals: true,
    log: (message) => io.stderr(`closewatch: ${message}\n`),
  });
  io.stderr(`closewatch demo: started a collector at ${collector.url}\n`);
  return { url: collector.url, started: true };
}

/**
 * `closewatch demo`: resolves with an exit code, or null when the demo started a collector that keeps
 * serving the dashboard (until Ctrl-C).
 */
export async function runDemoCommand(argv: string[], io: DemoIo): Promise<number | null> {
  let options: DemoOptions | null;
  try {
    options = parseDemoArgs(argv);
  } catch (error) {
    io.stderr(`closewatch demo: ${(error as Error).message}\n\n${DEMO_USAGE}`);
    return EXIT_USAGE;
  }
  if (options === null) {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  let collector: { url: string; started: boolean };
  try {
    collector = await resolveCollector(options, io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      io.stderr(`closewatch demo: ${error.message}\n`);
      return error instanceof ConfigError ? EXIT_USAGE : 1;
    }
    throw error;
  }
  io.stderr(`closewatch demo: ${options.rate} connection(s)/s for ${options.durationMs / 1000} s; dashboard at ${collector.url}/\n`);
  const run = await runFleet({ collectorUrl: collector.url, key: options.key, durationMs: options.durationMs, rate: options.rate });
  const view = await waitForCollectorView(collector.url, run.startedAtMs - 1000, run.launched, SETTLE_TIMEOUT_MS);
  io.stdout(formatDemoSummary(run, view, collector.url));
  if (!collector.started) return 0;
  io.stderr('closewatch demo: the collector keeps serving the dashboard; Ctrl-C to stop\n');
  return null;
}
