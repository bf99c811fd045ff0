import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CONFIG, type CollectorConfig } from '../config.js';
import { CONFIG_OPTIONS } from './config-options.js';
import { ConfigError, parseOptionValue } from './option-value.js';

export interface ConfigSources {
  /** Path of a JSON or YAML file whose keys are the CollectorConfig keys. */
  file?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Options given on the command line, already keyed by CollectorConfig key. */
  flags?: Partial<Record<keyof CollectorConfig, string>>;
}

const OPTIONS_BY_KEY = new Map(CONFIG_OPTIONS.map((spec) => [spec.key as string, spec]));

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${path} must hold an object`);
  return parsed as Record<string, unknown>;
}

/**
 * The collector configuration: defaults ← config file ← environment ← command-line flags, each value
 * validated once with an error naming the option. `publicUrl` follows host and port unless set.
 */
export function loadConfig(sources: ConfigSources = {}): CollectorConfig {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const explicit = new Set<string>();
  if (sources.file) {
    for (const [key, raw] of Object.entries(readConfigFile(sources.file))) {
      const spec = OPTIONS_BY_KEY.get(key);
      if (!spec) throw new ConfigError(`config file ${sources.file}: unknown option "${key}"`);
      config[key] = parseOptionValue(spec, `config file ${sources.file}`, raw);
      explicit.add(key);
    }
  }
  const env = sources.env ?? {};
  for (const spec of CONFIG_OPTIONS) {
    const raw = env[spec.env];
    if (raw === undefined) continue;
    config[spec.key] = parseOptionValue(spec, `environment variable ${spec.env}`, raw);
    explicit.add(spec.key);
  }
  for (const [key, raw] of Object.entries(sources.flags ?? {})) {
    const spec = OPTIONS_BY_KEY.get(key);
    if (!spec || raw === undefined) continue;
    config[key] = parseOptionValue(spec, `option --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, raw);
    explicit.add(key);
  }
  const result = config as unknown as CollectorConfig;
  if (result.readRequiresToken && !result.adminToken) {
    throw new ConfigError('readRequiresToken is set but no adminToken is configured (CLOSEWATCH_ADMIN_TOKEN): nobody could read the API');
  }
  if (!explicit.has('publicUrl')) {
    const host = result.host.includes(':') ? `[${result.host}]` : result.host;
    result.publicUrl = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${result.port}`;
  }
  return result;
}
