import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTraceparent, parseTraceparent, randomSpanId, randomTraceId } from '../src/index.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

test('parseTraceparent accepts the W3C example', () => {
  assert.deepEqual(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`), {
    version: '00',
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    flags: 1,
    sampled: true,
  });
  assert.equal(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-00`)?.sampled, false);
});

test('parseTraceparent accepts a future version with extra fields', () => {
  assert.equal(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like`)?.traceId, TRACE_ID);
  assert.equal(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01`)?.spanId, SPAN_ID);
});

test('parseTraceparent rejects invalid values from the W3C spec', () => {
  const invalid = [
    `ff-${TRACE_ID}-${SPAN_ID}-01`,
    `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${SPAN_ID.toUpperCase()}-01`,
    `00-00000000000000000000000000000000-${SPAN_ID}-01`,
    `00-${TRACE_ID}-0000000000000000-01`,
    `00-${TRACE_ID}-${SPAN_ID}-01-extra`,
    `cc-${TRACE_ID}-${SPAN_ID}-01.what`,
    `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`,
    `00_${TRACE_ID}_${SPAN_ID}_01`,
    `0-${TRACE_ID}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${SPAN_ID}-0g`,
    '',
  ];
  for (const value of invalid) assert.equal(parseTraceparent(value), null, value);
  assert.equal(parseTraceparent(null), null);
});

test('formatTraceparent round-trips through parseTraceparent', () => {
  const value = formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, sampled: true });
  assert.equal(value, `00-${TRACE_ID}-${SPAN_ID}-01`);
  assert.equal(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, sampled: false }).slice(-2), '00');
});

test('random ids are lowercase hex of the right length and form a valid traceparent', () => {
  const traceId = randomTraceId();
  const spanId = randomSpanId();
  assert.match(traceId, /^[0-9a-f]{32}$/);
  assert.match(spanId, /^[0-9a-f]{16}$/);
  assert.notEqual(randomTraceId(), traceId);
  assert.deepEqual(parseTraceparent(formatTraceparent({ traceId, spanId, sampled: true }))?.traceId, traceId);
});
