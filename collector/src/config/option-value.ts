import { BlockList } from 'node:net';
import { addRange } from '../address-ranges.js';
import { parseProxyTimeout } from '../join/proxy-timeouts.js';
import type { OptionSpec } from './config-options.js';

/** A configuration value that failed validation; the message names the option and where it came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Value = string | number | boolean | string[] | null;

function fail(spec: OptionSpec, source: string, expected: string, raw: unknown): never {
  throw new ConfigError(`${source}: ${spec.key} must be ${expected}, got ${JSON.stringify(raw)}`);
}

function integer(spec: OptionSpec, source: string, raw: unknown, min: number, max: number): number {
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(spec, source, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

function url(spec: OptionSpec, source: string, raw: unknown): string {
  if (typeof raw !== 'string' || !URL.canParse(raw)) fail(spec, source, 'a URL', raw);
  return raw;
}

function list(spec: OptionSpec, source: string, raw: unknown): string[] {
  const items = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) {
    fail(spec, source, 'a comma-separated list or an array of strings', raw);
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function boolean(spec: OptionSpec, source: string, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return fail(spec, source, 'true or false', raw);
}

/** Parses one option from a file value (typed) or an env/flag string. */
export function parseOptionValue(spec: OptionSpec, source: string, raw: unknown): Value {
  switch (spec.kind) {
    case 'port':
      return integer(spec, source, raw, 0, 65535);
    case 'integer':
      return integer(spec, source, raw, spec.min ?? Number.MIN_SAFE_INTEGER, spec.max ?? Number.MAX_SAFE_INTEGER);
    case 'string':
      if (typeof raw !== 'string' || raw.trim() === '') fail(spec, source, 'a non-empty string', raw);
      return raw.trim();
    case 'optionalString':
      if (raw === null || raw === '') return null;
      if (typeof raw !== 'string') fail(spec, source, 'a string', raw);
      return raw;
    case 'url':
      return url(spec, source, raw);
    case 'optionalUrl':
      return raw === null || raw === '' ? null : url(spec, source, raw);
    case 'list':
      return list(spec, source, raw);
    case 'boolean':
      return boolean(spec, source, raw);
    case 'proxyTimeouts': {
      const entries = list(spec, source, raw);
      const bad = entries.find((entry) => parseProxyTimeout(entry) === null);
      if (bad !== undefined) fail(spec, source, 'entries like "edge-nginx=75s" or "corp-proxy=10m:lifetime"', bad);
      return entries;
    }
    case 'addressList': {
      const entries = list(spec, source, raw);
      const bad = entries.find((entry) => !addRange(new BlockList(), entry));
      if (bad !== undefined) fail(spec, source, 'IP addresses or CIDR ranges like "127.0.0.1" or "10.0.0.0/8"', bad);
      return entries;
    }
  }
}
