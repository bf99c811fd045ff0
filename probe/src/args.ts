import { parseArgs } from 'node:util';
import { parseDuration } from '@closewatch/conventions';
import { DEFAULT_TIMEOUT_MS, type ProbeOptions } from './options.js';
import { ProbeUsageError } from './usage-error.js';

/** RFC 7230 token: what a header name and a subprotocol must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers the probe must own for the upgrade to be a WebSocket handshake at all. */
const HANDSHAKE_HEADERS = new Set(['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version']);
const SCHEME_FOR = new Map([
  ['ws:', 'ws:'],
  ['wss:', 'wss:'],
  ['http:', 'ws:'],
  ['https:', 'wss:'],
]);
const MAX_DURATION_MS = 24 * 3_600_000;

export type ParsedProbeArgs = { help: true } | { help: false; options: ProbeOptions };

const FLAGS = {
  origin: { type: 'string' },
  protocol: { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  cookie: { type: 'string' },
  timeout: { type: 'string' },
  insecure: { type: 'boolean' },
  hold: { type: 'string' },
  ping: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Validates the command line once; every problem throws a ProbeUsageError naming the flag. */
export function parseProbeArgs(argv: string[]): ParsedProbeArgs {
  const { values, positionals } = parseFlags(argv);
  if (values.help) return { help: true };
  if (positionals.length !== 1) {
    throw new ProbeUsageError(positionals.length === 0 ? 'missing <ws-url>' : `expected one <ws-url>, got ${positionals.length}`);
  }
  const url = parseEndpoint(positionals[0]);
  const holdMs = values.hold === undefined ? null : parseFlagDuration('--hold', values.hold);
  const pingIntervalMs = values.ping === undefined ? null : parseFlagDuration('--ping', values.ping);
  if (pingIntervalMs !== null && holdMs === null) throw new ProbeUsageError('--ping needs --hold: pings are sent while the connection is held');
  return {
    help: false,
    options: {
      url,
      origin: values.origin === undefined ? url.origin.replace(/^ws/, 'http') : parseOrigin(values.origin),
      protocols: parseProtocols(values.protocol ?? []),
      headers: (values.header ?? []).map(parseHeader),
      cookie: values.cookie === undefined ? null : parseCookie(values.cookie),
      timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseFlagDuration('--timeout', values.timeout),
      insecure: values.insecure ?? false,
      holdMs,
      pingIntervalMs,
      json: values.json ?? false,
    },
  };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ProbeUsageError(shortParseError(error));
  }
}

/** node:util's messages are long and tutorial-like; keep the part that names the flag. */
function shortParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '(--[a-z]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split('. ')[0];
}

function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProbeUsageError(`<ws-url> is not a URL: ${JSON.stringify(text)} (expected e.g. wss://example.com/socket)`);
  }
  const scheme = SCHEME_FOR.get(url.protocol);
  if (!scheme) throw new ProbeUsageError(`<ws-url> must be ws://, wss://, http:// or https://, got ${url.protocol}//`);
  // Browsers map http(s) to ws(s) and never send the fragment.
  const mapped = new URL(url.href.replace(/^[a-z]+:/i, scheme));
  mapped.hash = '';
  return mapped;
}

function parseFlagDuration(flag: string, text: string): number {
  const ms = parseDuration(text, { bareUnit: 's' });
  if (ms === null || ms <= 0) throw new ProbeUsageError(`${flag} must be a positive duration like 500ms, 2s or 1m, got ${JSON.stringify(text)}`);
  if (ms > MAX_DURATION_MS) throw new ProbeUsageError(`${flag} must be at most 24h, got ${JSON.stringify(text)}`);
  return ms;
}

function parseOrigin(text: string): string {
  if (text === 'null') return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProbeUsageError(`--origin must be an origin like https://app.example.com, got ${JSON.stringify(text)}`);
  }
  if (url.origin === 'null') throw new ProbeUsageError(`--origin must be an http(s) origin, got ${JSON.stringify(text)}`);
  return url.origin;
}

function parseProtocols(names: string[]): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (!TOKEN.test(name)) throw new ProbeUsageError(`--protocol must be a token (letters, digits, !#$%&'*+-.^_\`|~), got ${JSON.stringify(name)}`);
    // A browser's WebSocket constructor throws SyntaxError on duplicates, so the probe refuses them too.
    if (seen.has(name)) throw new ProbeUsageError(`--protocol ${name} is given twice`);
    seen.add(name);
  }
  return names;
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon).trim();
  if (!TOKEN.test(name)) throw new ProbeUsageError(`--header must look like 'Name: value', got ${JSON.stringify(text)}`);
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new ProbeUsageError(`--header ${name} value must not contain CR, LF or NUL`);
  if (HANDSHAKE_HEADERS.has(name.toLowerCase())) throw new ProbeUsageError(`--header ${name} is set by the probe itself and cannot be replaced`);
  return [name, value];
}

function parseCookie(text: string): string {
  if (/[\r\n\0]/.test(text)) throw new ProbeUsageError('--cookie must not contain CR, LF or NUL');
  return text.trim();
}
