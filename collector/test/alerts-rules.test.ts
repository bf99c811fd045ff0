import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateRule } from '../src/alerts/validate-rule.js';
import { parseDuration } from '@closewatch/conventions';
import { formatDuration } from '../src/alerts/duration.js';
import { CollectorError } from '../src/errors.js';

const valid = {
  name: '1006 spike on chat',
  filter: { service: 'chat', cause: 'intermediary_timeout' },
  condition: { kind: 'rate_1006_above', threshold: 5 },
  window: '5m',
  for: '2m',
  minConnections: 20,
  severity: 'critical',
  labels: { team: 'realtime' },
  targets: [{ kind: 'webhook', url: 'http://127.0.0.1:9/hook' }],
};

function rejection(input: unknown): string {
  try {
    validateRule(input, 'r1');
  } catch (error) {
    assert.ok(error instanceof CollectorError);
    assert.equal(error.code, 'invalid_rule');
    assert.equal(error.status, 400);
    return error.message;
  }
  assert.fail('expected the rule to be rejected');
}

describe('alert rule validation', () => {
  test('a complete rule is accepted and normalised', () => {
    const rule = validateRule(valid, 'r1');
    assert.equal(rule.id, 'r1');
    assert.equal(rule.enabled, true);
    assert.deepEqual(rule.filter, { service: 'chat', cause: 'intermediary_timeout' });
    assert.deepEqual(rule.targets, [{ kind: 'webhook', url: 'http://127.0.0.1:9/hook' }]);
  });

  test('defaults: window 5m, for 0s, 20 minimum connections, warning', () => {
    const rule = validateRule({ name: 'x', condition: { kind: 'cause_count_above', threshold: 3 } }, 'r2');
    assert.equal(rule.window, '5m');
    assert.equal(rule.for, '0s');
    assert.equal(rule.minConnections, 20);
    assert.equal(rule.severity, 'warning');
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'rule', /^rule must be a JSON object/],
    ['missing name', { ...valid, name: '' }, /^name is required/],
    ['unknown condition kind', { ...valid, condition: { kind: 'vibes' } }, /^condition\.kind must be one of/],
    ['rate over 100 %', { ...valid, condition: { kind: 'rate_1006_above', threshold: 150 } }, /^condition\.threshold is a percentage/],
    ['negative threshold', { ...valid, condition: { kind: 'cause_count_above', threshold: -1 } }, /^condition\.threshold must be a non-negative/],
    ['increase factor ≤ 1', { ...valid, condition: { kind: 'rate_increase', factor: 1 } }, /^condition\.factor must be greater than 1/],
    ['malformed window', { ...valid, window: 'five minutes' }, /^window "five minutes" is not a duration/],
    ['window too short', { ...valid, window: '10s' }, /^window must be between 60s/],
    ['unknown cause', { ...valid, filter: { cause: 'gremlins' } }, /^filter\.cause "gremlins" is not a cause id/],
    ['unknown phase', { ...valid, filter: { phase: 'later' } }, /^filter\.phase must be one of handshake, open, closing/],
    ['bad code', { ...valid, filter: { code: 70000 } }, /^filter\.code must be a close code/],
    ['bad severity', { ...valid, severity: 'panic' }, /^severity must be one of/],
    ['invalid label name', { ...valid, labels: { 'my-team': 'x' } }, /^labels\.my-team is not a valid Prometheus label name/],
    ['reserved label', { ...valid, labels: { severity: 'x' } }, /^labels\.severity is set by Closewatch/],
    ['unknown target kind', { ...valid, targets: [{ kind: 'pager', url: 'http://x' }] }, /^targets\[0\]\.kind must be one of/],
    ['target url not http', { ...valid, targets: [{ kind: 'webhook', url: 'ftp://x/y' }] }, /^targets\[0\]\.url must use http or https/],
    ['fractional min connections', { ...valid, minConnections: 2.5 }, /^minConnections must be a whole number/],
  ];
  for (const [name, input, message] of cases) {
    test(`rejects ${name} with a message naming the field`, () => {
      assert.match(rejection(input), message);
    });
  }
});

describe('durations', () => {
  test('parse and format Prometheus durations', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('5 m'), null);
    assert.equal(parseDuration('-5m'), null);
    assert.equal(formatDuration(300_000), '5m');
    assert.equal(formatDuration(90_000), '90s');
  });

  test('a rule takes any duration the CLI takes and stores it the way Prometheus writes it', () => {
    const rule = validateRule({ ...valid, window: '1.5m', for: '0.5h' }, 'r3');
    assert.equal(rule.window, '90s');
    assert.equal(rule.for, '30m');
  });
});
