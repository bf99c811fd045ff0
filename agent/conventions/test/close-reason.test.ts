import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CLOSE_REASON_BYTES, truncateCloseReason } from '../src/index.js';

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

test('truncateCloseReason keeps a short reason unchanged', () => {
  assert.equal(truncateCloseReason('bye'), 'bye');
  assert.equal(truncateCloseReason('x'.repeat(123)), 'x'.repeat(123));
});

test('truncateCloseReason cuts ASCII at 123 bytes', () => {
  assert.equal(truncateCloseReason('x'.repeat(200)), 'x'.repeat(MAX_CLOSE_REASON_BYTES));
});

test('truncateCloseReason never splits an emoji (4 bytes, a surrogate pair)', () => {
  const result = truncateCloseReason('😀'.repeat(40));
  assert.equal(result, '😀'.repeat(30));
  assert.equal(utf8Bytes(result), 120);
  const shifted = truncateCloseReason('ab' + '😀'.repeat(40));
  assert.equal(utf8Bytes(shifted), 122);
  assert.ok(!/[\ud800-\udbff]$/.test(shifted), 'ends with a lone high surrogate');
});

test('truncateCloseReason never splits a CJK character (3 bytes)', () => {
  const result = truncateCloseReason('x' + '漢'.repeat(60));
  assert.equal(result, 'x' + '漢'.repeat(40));
  assert.equal(utf8Bytes(result), 121);
});

test('truncateCloseReason counts 2-byte characters', () => {
  assert.equal(utf8Bytes(truncateCloseReason('é'.repeat(100))), 122);
});

test('truncateCloseReason returns empty for non-strings', () => {
  assert.equal(truncateCloseReason(undefined), '');
  assert.equal(truncateCloseReason(1000), '');
});
