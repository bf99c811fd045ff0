import { CAUSE_IDS, PHASES, parseDuration, type CauseId, type Phase } from '@closewatch/conventions';
import { CollectorError } from '../errors.js';
import { formatDuration } from './duration.js';
import type { AlertCondition, AlertFilter, AlertRule, AlertSeverity, NotificationTarget } from './rule.js';

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];
const TARGET_KINDS: readonly NotificationTarget['kind'][] = ['webhook', 'slack', 'alertmanager'];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABELS = new Set(['alertname', 'severity', 'rule_id']);
const MAX_NAME = 200;
const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 7 * 86_400_000;

function invalid(field: string, problem: string): never {
  throw new CollectorError('invalid_rule', `${field} ${problem}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(input: Record<string, unknown>, key: string, field: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 500) invalid(field, 'must be a string of at most 500 characters');
  return value;
}

function validateFilter(input: unknown): AlertFilter {
  if (input === undefined || input === null) return {};
  if (!isObject(input)) invalid('filter', 'must be an object');
  const filter: AlertFilter = {};
  const service = optionalString(input, 'service', 'filter.service');
  const route = optionalString(input, 'route', 'filter.route');
  const cause = optionalString(input, 'cause', 'filter.cause');
  const phase = optionalString(input, 'phase', 'filter.phase');
  if (service) filter.service = service;
  if (route) filter.route = route;
  if (cause) {
    if (!(CAUSE_IDS as readonly string[]).includes(cause)) invalid('filter.cause', `"${cause}" is not a cause id`);
    filter.cause = cause as CauseId;
  }
  if (phase) {
    if (!(PHASES as readonly string[]).includes(phase)) invalid('filter.phase', `must be one of ${PHASES.join(', ')}`);
    filter.phase = phase as Phase;
  }
  if (input.code !== undefined && input.code !== null && input.code !== '') {
    const code = Number(input.code);
    if (!Number.isInteger(code) || code < 0 || code > 4999) invalid('filter.code', 'must be a close code (0–4999)');
    filter.code = code;
  }
  return filter;
}

function positiveNumber(value: unknown, field: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) invalid(field, 'must be a non-negative number');
  return number;
}

function validateCondition(input: unknown): AlertCondition {
  if (!isObject(input)) invalid('condition', 'must be an object with a kind');
  switch (input.kind) {
    case 'rate_1006_above': {
      const threshold = positiveNumber(input.threshold, 'condition.threshold');
      if (threshold > 100) invalid('condition.threshold', 'is a percentage and must be at most 100');
      return { kind: 'rate_1006_above', threshold };
    }
    case 'cause_count_above':
      return { kind: 'cause_count_above', threshold: positiveNumber(input.threshold, 'condition.threshold') };
    case 'rate_increase': {
      const factor = positiveNumber(input.factor, 'condition.factor');
      if (factor <= 1) invalid('condition.factor', 'must be greater than 1');
      return { kind: 'rate_increase', factor };
    }
    default:
      return invalid('condition.kind', 'must be one of rate_1006_above, cause_count_above, rate_increase');
  }
}

function validateDuration(value: unknown, field: string, fallback: string, minMs: number, maxMs: number): string {
  const text = value === undefined || value === null || value === '' ? fallback : value;
  if (typeof text !== 'string') invalid(field, 'must be a duration such as "5m"');
  const ms = parseDuration(text);
  if (ms === null) invalid(field, `"${text}" is not a duration such as "30s", "1.5m" or "1h"`);
  if (ms < minMs || ms > maxMs) invalid(field, `must be between ${minMs / 1000}s and ${maxMs / 3_600_000}h`);
  // Stored in Prometheus' own syntax (whole units), so an exported rule file takes it as it is.
  return formatDuration(ms);
}

function validateLabels(input: unknown): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (!isObject(input)) invalid('labels', 'must be an object of string values');
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!LABEL_NAME.test(name)) invalid(`labels.${name}`, 'is not a valid Prometheus label name');
    if (RESERVED_LABELS.has(name)) invalid(`labels.${name}`, 'is set by Closewatch and cannot be overridden');
    if (typeof value !== 'string' || value.length > 500) invalid(`labels.${name}`, 'must be a string of at most 500 characters');
    labels[name] = value;
  }
  return labels;
}

function validateTargets(input: unknown): NotificationTarget[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input) || input.length > 20) invalid('targets', 'must be an array of at most 20 targets');
  return input.map((target, index) => {
    const field = `targets[${index}]`;
    if (!isObject(target)) invalid(field, 'must be an object with kind and url');
    if (!TARGET_KINDS.includes(target.kind as NotificationTarget['kind'])) {
      invalid(`${field}.kind`, `must be one of ${TARGET_KINDS.join(', ')}`);
    }
    let url: URL;
    try {
      url = new URL(String(target.url));
    } catch {
      return invalid(`${field}.url`, 'must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(`${field}.url`, 'must use http or https');
    return { kind: target.kind as NotificationTarget['kind'], url: url.toString() };
  });
}

/** Validates an alert rule from the API or a rules file; throws `invalid_rule` naming the field. */
export function validateRule(input: unknown, id: string): AlertRule {
  if (!isObject(input)) invalid('rule', 'must be a JSON object');
  const name = input.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) {
    invalid('name', `is required, at most ${MAX_NAME} characters`);
  }
  const severity = input.severity ?? 'warning';
  if (!SEVERITIES.includes(severity as AlertSeverity)) invalid('severity', `must be one of ${SEVERITIES.join(', ')}`);
  const minConnections = input.minConnections === undefined ? 20 : positiveNumber(input.minConnections, 'minConnections');
  if (!Number.isInteger(minConnections)) invalid('minConnections', 'must be a whole number');
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') invalid('enabled', 'must be true or false');
  return {
    id,
    name: name.trim(),
    enabled: input.enabled !== false,
    filter: validateFilter(input.filter),
    condition: validateCondition(input.condition),
    window: validateDuration(input.window, 'window', '5m', MIN_WINDOW_MS, MAX_WINDOW_MS),
    for: validateDuration(input.for, 'for', '0s', 0, MAX_WINDOW_MS),
    minConnections,
    severity: severity as AlertSeverity,
    labels: validateLabels(input.labels),
    targets: validateTargets(input.targets),
  };
}
