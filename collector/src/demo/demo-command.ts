import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CollectorConfig } from '../config.js';
import { ConfigError } from '../config/option-value.js';
import { loadConfig } from '../config/load-config.js';
import { startCollector, type RunningCollector } from '../start-collector.js';
import { StartupError } from '../startup-error.js';

export const DEMO_USAGE = `Usage: closewatch demo [--port 4318] [--host 127.0.0.1] [--data-dir dir] [--database-url url]
                      [--rate 5] [--duration seconds]

Starts a collector and a simulated fleet next to it: a ws chat server and ws clients, both recorded by
the real Node agent (@closewatch/agent-node) and exported to the collector, producing a mix of closes
(clean, application 4001, server terminate, restart 1012, 401/404 upgrades, subprotocol mismatch,
client aborts, 1009). Open the dashboard it prints. Stops on Ctrl-C or after --duration.
`;

export interface DemoIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const require = createRequire(import.meta.url);
const FLEET_SCRIPT = fileURLToPath(new URL('./fleet.js', import.meta.url));
/** Time the fleet gets to export its last spans when stopped. */
const FLEET_STOP_TIMEOUT_MS = 10_000;

function startFleet(collector: RunningCollector, rate: number, io: DemoIo): ChildProcess {
  const register = require.resolve('@closewatch/agent-node/register');
  const fleet = spawn(process.execPath, ['--import', register, FLEET_SCRIPT, String(rate)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...io.env,
      CLOSEWATCH_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'demo-chat',
      OTEL_BSP_SCHEDULE_DELAY: '1000',
    },
  });
  fleet.stdout!.setEncoding('utf8').on('data', (text: string) => io.stdout(text));
  fleet.stderr!.setEncoding('utf8').on('data', (text: string) => io.stderr(text));
  return fleet;
}

function stopFleet(fleet: ChildProcess): Promise<void> {
  if (fleet.exitCode !== null || fleet.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => fleet.kill('SIGKILL'), FLEET_STOP_TIMEOUT_MS);
    fleet.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // The agent ends the open spans and exports them on SIGTERM.
    fleet.kill('SIGTERM');
  });
}

/** `closewatch demo`: resolves with the exit code once the demo stopped. */
export async function runDemo(argv: string[], io: DemoIo): Promise<number> {
  let values: { port?: string; host?: string; 'data-dir'?: string; 'database-url'?: string; rate?: string; duration?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`closewatch demo: ${(error as Error).message}\n\n${DEMO_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  const rate = Number(values.rate ?? 5);
  const durationSeconds = values.duration === undefined ? null : Number(values.duration);
  if (!(rate > 0 && rate <= 1000) || (durationSeconds !== null && !(durationSeconds > 0))) {
    io.stderr('closewatch demo: --rate must be 0–1000 connections per second and --duration a positive number of seconds\n');
    return 2;
  }
  let collector: RunningCollector;
  try {
    const flags: Partial<Record<keyof CollectorConfig, string>> = {};
    if (values.port !== undefined) flags.port = values.port;
    if (values.host !== undefined) flags.host = values.host;
    if (values['data-dir'] !== undefined) flags.dataDir = values['data-dir'];
    if (values['database-url'] !== undefined) flags.databaseUrl = values['database-url'];
    collector = await startCollector(loadConfig({ env: io.env, flags }), { log: (message) => io.stderr(`closewatch: ${message}\n`) });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      io.stderr(`closewatch demo: ${error.message}\n`);
      return error instanceof ConfigError ? 2 : 1;
    }
    throw error;
  }
  io.stdout(`closewatch demo: collector on ${collector.url}; dashboard at ${collector.url}/ (Ctrl-C to stop)\n`);
  const fleet = startFleet(collector, rate, io);
  await new Promise<void>((resolve) => {
    const timer = durationSeconds === null ? null : setTimeout(resolve, durationSeconds * 1000);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    fleet.once('exit', () => {
      if (timer) clearTimeout(timer);
      resolve();
    });
  });
  await stopFleet(fleet);
  // Both sides of the last connections arrive in the fleet's final export; the join sweeper handles the rest.
  await collector.close();
  io.stdout('closewatch demo: stopped\n');
  return 0;
}
