import { APP_PROTOCOLS, CAUSE_IDS, PHASES, type CauseId, type Phase } from '@closewatch/conventions';
import { CollectorError } from '../errors.js';
import type { CloseFilter } from '../store/store.js';
import { parseTimeParam } from './time-param.js';

/** The range a request covers when it names none. */
export const DEFAULT_RANGE_MS = 24 * 3_600_000;
const MAX_TEXT_LENGTH = 512;
const SIDE_VALUES = ['client', 'server', 'both'] as const;

/** Express's parsed query: strings, repeated keys as arrays, bracket syntax as objects. */
export type RawQuery = Record<string, unknown>;

function invalid(name: string, value: unknown, expected: string): CollectorError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : 'a repeated or structured value';
  return new CollectorError('invalid_filter', `Invalid ${name}=${shown}: expected ${expected}.`);
}

/** One optional string parameter; repeated or structured values are rejected rather than guessed at. */
export function textParam(query: RawQuery, name: string, expected = 'a single value'): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) throw invalid(name, value, expected);
  return value;
}

function enumParam<T extends string>(query: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const value = textParam(query, name, `one of ${allowed.join(', ')}`);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, value, `one of ${allowed.join(', ')}`);
  return value as T;
}

function codeParam(query: RawQuery): number | undefined {
  const expected = 'a close code between 1000 and 4999';
  const value = textParam(query, 'code', expected);
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value) || Number(value) < 1000 || Number(value) > 4999) throw invalid('code', value, expected);
  return Number(value);
}

/** Integer parameter within [min, max], or the fallback when absent. */
export function intParam(query: RawQuery, name: string, fallback: number, min: number, max: number): number {
  const expected = `an integer between ${min} and ${max}`;
  const value = textParam(query, name, expected);
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw invalid(name, value, expected);
  return Number(value);
}

/**
 * The one place the API's filters are parsed and validated: `from,to` (default: the last 24 h),
 * `service,route,code,phase,cause,side,app,app_reason`. Throws `invalid_filter` naming the parameter and value.
 */
export function parseCloseFilter(query: RawQuery, nowMs: number): CloseFilter {
  const fromText = textParam(query, 'from', 'a time');
  const toText = textParam(query, 'to', 'a time');
  const toMs = toText === undefined ? nowMs : parseTimeParam('to', toText, nowMs);
  const fromMs = fromText === undefined ? toMs - DEFAULT_RANGE_MS : parseTimeParam('from', fromText, nowMs);
  if (fromMs >= toMs) {
    throw new CollectorError('invalid_filter', `Invalid from=${JSON.stringify(fromText ?? String(fromMs))}: it must be before to.`);
  }
  const filter: CloseFilter = { fromMs, toMs };
  const service = textParam(query, 'service');
  const route = textParam(query, 'route');
  const code = codeParam(query);
  const phase = enumParam<Phase>(query, 'phase', PHASES);
  const cause = enumParam<CauseId>(query, 'cause', CAUSE_IDS);
  const side = enumParam(query, 'side', SIDE_VALUES);
  const appProtocol = enumParam(query, 'app', APP_PROTOCOLS);
  const appReason = textParam(query, 'app_reason');
  if (service !== undefined) filter.service = service;
  if (route !== undefined) filter.route = route;
  if (code !== undefined) filter.code = code;
  if (phase !== undefined) filter.phase = phase;
  if (cause !== undefined) filter.cause = cause;
  if (side !== undefined) filter.side = side;
  if (appProtocol !== undefined) filter.appProtocol = appProtocol;
  if (appReason !== undefined) filter.appReason = appReason;
  return filter;
}
