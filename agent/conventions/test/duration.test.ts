import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../src/duration.js';

describe('parseDuration: one syntax for every duration Closewatch reads', () => {
  it('reads every unit, with decimals', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2s'), 2_000);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('2w'), 1_209_600_000);
    assert.equal(parseDuration(' 30s\n'), 30_000);
    assert.equal(parseDuration('0.0005s'), 1);
  });

  it('reads a bare number only where the caller names its unit', () => {
    assert.equal(parseDuration('90'), null);
    assert.equal(parseDuration('90', { bareUnit: 's' }), 90_000);
    assert.equal(parseDuration('1.5', { bareUnit: 's' }), 1_500);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', 's', '5 m', '-5m', '+5m', '5min', '5M', '1e3s', '.5s', '5.s', 'Infinity', '5m30s', 'NaN']) {
      assert.equal(parseDuration(text), null, text);
      assert.equal(parseDuration(text, { bareUnit: 's' }), null, text);
    }
  });

  it('refuses a duration too long to count in whole milliseconds', () => {
    assert.equal(parseDuration('999999999999999w'), null);
  });
});
