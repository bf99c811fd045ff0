// How long the exporter waits before retrying: the collector's Retry-After, else backoff with jitter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs } from '../src/retry-delay.js';

test('Retry-After seconds from a 429/503 are honoured as they are', () => {
  assert.equal(retryDelayMs('7', 0), 7000);
  assert.equal(retryDelayMs('0', 3), 0);
});

test('without Retry-After the delay doubles per failure, jittered within [½, 1] of the step, capped at 60 s', () => {
  for (const [failures, step] of [
    [0, 1000],
    [1, 2000],
    [3, 8000],
    [10, 60_000],
  ] as const) {
    for (let i = 0; i < 50; i++) {
      const delay = retryDelayMs(null, failures);
      assert.ok(delay >= step / 2 && delay <= step, `failures ${failures}: ${delay} outside [${step / 2}, ${step}]`);
    }
  }
});

test('an unreadable Retry-After (e.g. an HTTP date) falls back to backoff', () => {
  const delay = retryDelayMs('Wed, 21 Oct 2026 07:28:00 GMT', 0);
  assert.ok(delay >= 500 && delay <= 1000);
});
