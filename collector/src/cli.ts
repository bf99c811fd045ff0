import { parseArgs } from 'node:util';
import { runAlertsExport } from './alerts/export-command.js';
import type { AlertRule } from './alerts/rule.js';
import type { CollectorConfig } from './config.js';
import { ConfigError } from './config/option-value.js';
import { loadConfig } from './config/load-config.js';
import { START_USAGE, USAGE } from './cli-usage.js';
import { limitHeapGrowth } from './heap-growth.js';
import { startCollector } from './start-collector.js';
import { StartupError } from './startup-error.js';
import { openStore } from './store/open-store.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** Exit code of a usage error (bad flag or command), as in most CLIs. */
const EXIT_USAGE = 2;

const STORE_FLAGS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  config: { type: 'string' },
} as const;

type StoreFlags = { 'data-dir'?: string; 'database-url'?: string; config?: string };
type StartFlags = StoreFlags & { port?: string; host?: string; 'alerts-file'?: string };

function configFrom(values: StartFlags, env: NodeJS.ProcessEnv): CollectorConfig {
  const flags: Partial<Record<keyof CollectorConfig, string>> = {};
  if (values.port !== undefined) flags.port = values.port;
  if (values.host !== undefined) flags.host = values.host;
  if (values['data-dir'] !== undefined) flags.dataDir = values['data-dir'];
  if (values['database-url'] !== undefined) flags.databaseUrl = values['database-url'];
  if (values['alerts-file'] !== undefined) flags.alertsFile = values['alerts-file'];
  return loadConfig({ file: values.config ?? null, env, flags });
}

/** `closewatch start`: resolves once listening; returns null (keep running) or an exit code. */
async function runStart(argv: string[], io: CliIo): Promise<number | null> {
  let values: StartFlags & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'alerts-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...STORE_FLAGS,
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`closewatch start: ${(error as Error).message}\n\n${START_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(START_USAGE);
    return 0;
  }
  try {
    const config = configFrom(values, io.env);
    limitHeapGrowth();
    const collector = await startCollector(config, { handleSignals: true, log: (message) => io.stderr(`closewatch: ${message}\n`) });
    const store = config.databaseUrl ? 'PostgreSQL' : `DuckDB in ${config.dataDir}`;
    io.stderr(`closewatch: listening on ${collector.url} (store: ${store}); dashboard at ${collector.url}/\n`);
    return null;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`closewatch start: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof StartupError) {
      io.stderr(`closewatch start: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The rules stored by the collector the flags and env point at (for `alerts export` without a file). */
async function storedRules(argv: string[], env: NodeJS.ProcessEnv): Promise<AlertRule[]> {
  const { values } = parseArgs({ args: argv, options: STORE_FLAGS, strict: false, allowPositionals: true });
  const store = await openStore(configFrom(values as StoreFlags, env));
  try {
    await store.migrate();
    return (await store.listAlertRules()).map((record) => record.rule as unknown as AlertRule);
  } finally {
    await store.close();
  }
}

/** Runs one `closewatch` command; resolves with the exit code, or null when a server keeps running. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number | null> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return runStart(rest, io);
    case 'probe':
      return (await import('@closewatch/probe')).runProbeCommand(rest);
    case 'alerts':
      if (rest[0] === 'export') {
        return runAlertsExport(rest.slice(1), { stdout: io.stdout, stderr: io.stderr, storedRules: (args) => storedRules(args, io.env) });
      }
      io.stderr(`closewatch alerts: unknown subcommand ${rest[0] === undefined ? '(none)' : `"${rest[0]}"`}; try \`closewatch alerts export --help\`\n`);
      return EXIT_USAGE;
    case 'demo':
      return (await import('./demo/demo-command.js')).runDemoCommand(rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return command === undefined ? EXIT_USAGE : 0;
    default:
      io.stderr(`closewatch: unknown command "${command}"\n\n${USAGE}`);
      return EXIT_USAGE;
  }
}
