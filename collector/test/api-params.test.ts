import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseBucketMs, MAX_BUCKETS, TARGET_BUCKETS } from '../src/api/bucket.js';
import { parseCloseFilter } from '../src/api/close-filter.js';
import { probeCommand, shellQuote } from '../src/api/probe-command.js';
import { parseTimeParam } from '../src/api/time-param.js';
import { CollectorError } from '../src/errors.js';
import type { StoredSide } from '../src/store/store.js';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

function side(attributes: StoredSide['attributes']): StoredSide {
  return {
    side: 'client',
    traceId: 't',
    spanId: 's',
    parentSpanId: null,
    service: 'svc',
    resource: {},
    scope: { name: 'x', version: '1' },
    startTimeMs: 0,
    endTimeMs: 1,
    attributes,
    events: [],
    receivedAtMs: 1,
  };
}

describe('parseTimeParam', () => {
  test('reads relative, epoch and ISO 8601 times', () => {
    assert.equal(parseTimeParam('from', 'now', NOW), NOW);
    assert.equal(parseTimeParam('from', 'now-15m', NOW), NOW - 15 * 60_000);
    assert.equal(parseTimeParam('from', 'now-2w', NOW), NOW - 14 * 86_400_000);
    assert.equal(parseTimeParam('from', '1764072000000', NOW), 1764072000000);
    assert.equal(parseTimeParam('from', '2026-11-25T11:00:00Z', NOW), NOW - 3_600_000);
    assert.equal(parseTimeParam('from', '2026-11-25T13:00:00+02:00', NOW), NOW - 3_600_000);
  });

  test('rejects anything else, naming the parameter and the value', () => {
    for (const text of ['now+1h', 'now-1y', 'tomorrow', '2026-02-30T25:00:00Z', '']) {
      assert.throws(
        () => parseTimeParam('to', text, NOW),
        (error: unknown) => error instanceof CollectorError && error.code === 'invalid_filter' && error.message.includes(`to=${JSON.stringify(text)}`),
      );
    }
  });
});

describe('parseCloseFilter', () => {
  test('defaults to the last 24 h and keeps only the filters given', () => {
    assert.deepEqual(parseCloseFilter({}, NOW), { fromMs: NOW - 86_400_000, toMs: NOW });
    assert.deepEqual(parseCloseFilter({ to: 'now-1h', service: 'chat', code: '1006', phase: 'open', cause: 'unknown', side: 'both', route: '' }, NOW), {
      fromMs: NOW - 25 * 3_600_000,
      toMs: NOW - 3_600_000,
      service: 'chat',
      code: 1006,
      phase: 'open',
      cause: 'unknown',
      side: 'both',
    });
  });

  test('rejects structured values instead of guessing', () => {
    assert.throws(() => parseCloseFilter({ service: ['a', 'b'] }, NOW), /service=a repeated or structured value/);
    assert.throws(() => parseCloseFilter({ route: { $ne: 1 } }, NOW), /route=/);
  });
});

describe('chooseBucketMs', () => {
  test('picks the smallest step that keeps the chart under the target', () => {
    assert.equal(chooseBucketMs(0, 3_600_000, undefined), 30_000);
    assert.equal(chooseBucketMs(0, 86_400_000, undefined), 900_000);
    assert.equal(chooseBucketMs(0, 14 * 86_400_000, undefined), 10_800_000);
    for (const range of [60_000, 3_600_000, 86_400_000, 30 * 86_400_000, 3650 * 86_400_000]) {
      assert.ok(range / chooseBucketMs(0, range, undefined) <= TARGET_BUCKETS, String(range));
    }
  });

  test('accepts durations and ms, and bounds the number of buckets', () => {
    assert.equal(chooseBucketMs(0, 86_400_000, '5m'), 300_000);
    assert.equal(chooseBucketMs(0, 86_400_000, '60000'), 60_000);
    assert.throws(() => chooseBucketMs(0, 86_400_000, '10s'), new RegExp(`more than ${MAX_BUCKETS}`));
    assert.throws(() => chooseBucketMs(0, 86_400_000, 'soon'), /bucket="soon"/);
  });
});

describe('probeCommand', () => {
  test('single-quotes the URL the way a POSIX shell reads it back', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('$(rm -rf ~)'), `'$(rm -rf ~)'`);
  });

  test('uses the scrubbed client URL, else completes the server path', () => {
    assert.equal(
      probeCommand({ client: side({ 'url.full': "wss://user:pw@a.example/x?api_key=k&n=it's#frag" }), server: null }),
      `closewatch probe 'wss://a.example/x?api_key=REDACTED&n=it'\\''s'`,
    );
    assert.equal(
      probeCommand({ client: null, server: side({ 'url.full': '/rooms/1?__cw=00-abc', 'server.address': '10.0.0.5', 'server.port': 8080 }) }),
      `closewatch probe 'ws://10.0.0.5:8080/rooms/1'`,
    );
    assert.equal(probeCommand({ client: null, server: side({ 'url.full': '/x' }) }), null);
    assert.equal(probeCommand({ client: null, server: null }), null);
  });
});
