import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../src/ingest/rate-limiter.js';
import { LabelCap, OTHER_LABEL_VALUE } from '../src/metrics/label-cap.js';

describe('label caps', () => {
  it('passes the first values through and folds later new ones into __other__', () => {
    const cap = new LabelCap(2);
    assert.equal(cap.value('/a'), '/a');
    assert.equal(cap.value('/b'), '/b');
    assert.equal(cap.value('/c'), OTHER_LABEL_VALUE);
    assert.equal(cap.value('/a'), '/a', 'a value already seen keeps its own series');
    assert.equal(new LabelCap(5).value('x'.repeat(500)).length, 128, 'long values are cut');
    assert.equal(new LabelCap(5).value(`${'x'.repeat(127)}\u{1F600}`), 'x'.repeat(127), 'never inside a surrogate pair');
    assert.equal(new LabelCap(5).value('a\ud800b'), 'a\uFFFDb', 'a lone surrogate becomes U+FFFD');
    assert.throws(() => new LabelCap(0), /positive integer/);
  });
});

describe('rate limiter', () => {
  it('allows a burst, then one request per 1/rate seconds, per client', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('a')),
      [0, 0, 0],
    );
    assert.equal(limiter.take('a'), 1, 'the fourth request waits');
    assert.equal(limiter.take('b'), 0, 'another client has its own bucket');
    now += 500;
    assert.equal(limiter.take('a'), 0, 'half a second at 2/s refills one request');
    assert.equal(new RateLimiter(0, 1, () => now).take('a'), 0, 'a rate of 0 disables the limit');
  });
});
