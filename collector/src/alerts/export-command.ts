import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_RULES } from './default-rules.js';
import { prometheusRuleFile } from './prometheus-rules.js';
import type { AlertRule } from './rule.js';
import { readRulesFile } from './rules-file.js';

export const ALERTS_EXPORT_USAGE = `Usage: closewatch alerts export [--defaults | --file rules.yml] [--out file]

Prints the alert rules as a Prometheus rule file (recording rules for the 1006 rate by service,
route, phase and cause, plus one alerting rule per enabled rule) that \`promtool check rules\` accepts.

  --defaults        export Closewatch's default rule set
  --file PATH       export the rules of an alerts file (YAML, as for \`start --alerts-file\`)
  --out PATH        write to PATH instead of standard output
  (neither)         export the rules stored by the collector (--data-dir / --database-url / env)
`;

export interface AlertsExportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads the rules kept in the store the CLI flags and env point at (the CLI passes it). */
  storedRules?: (argv: string[]) => Promise<AlertRule[]>;
}

/** `closewatch alerts export …`: returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function runAlertsExport(argv: string[], io: AlertsExportIo): Promise<number> {
  let values: { defaults?: boolean; file?: string; out?: string; help?: boolean };
  try {
    const parsed = parseArgs({
      args: argv,
      options: { defaults: { type: 'boolean' }, file: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: false,
      allowPositionals: true,
    });
    values = parsed.values as typeof values;
  } catch (error) {
    io.stderr(`closewatch alerts export: ${(error as Error).message}\n${ALERTS_EXPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(ALERTS_EXPORT_USAGE);
    return 0;
  }
  if (values.defaults && values.file) {
    io.stderr('closewatch alerts export: --defaults and --file cannot be used together\n');
    return 2;
  }
  try {
    let rules: AlertRule[];
    if (values.defaults) rules = DEFAULT_RULES;
    else if (values.file) rules = await readRulesFile(values.file);
    else if (io.storedRules) rules = await io.storedRules(argv);
    else {
      io.stderr('closewatch alerts export: no rule source; pass --defaults or --file\n');
      return 2;
    }
    const text = prometheusRuleFile(rules);
    if (values.out) await writeFile(values.out, text);
    else io.stdout(text);
    return 0;
  } catch (error) {
    io.stderr(`closewatch alerts export: ${(error as Error).message}\n`);
    return 1;
  }
}
