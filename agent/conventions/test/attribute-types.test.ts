import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as A from '../src/attributes.js';
import { ATTRIBUTE_TYPES } from '../src/attribute-types.js';

test('every span attribute key of the contract has a type (the collector types, keeps and caps by it)', () => {
  const keys = Object.entries(A)
    .filter(([name]) => name.startsWith('ATTR_'))
    .map(([, key]) => String(key));
  assert.ok(keys.length > 40);
  for (const key of keys) assert.ok(ATTRIBUTE_TYPES[key] !== undefined, `${key} has a type in ATTRIBUTE_TYPES`);
  for (const key of Object.keys(ATTRIBUTE_TYPES)) assert.ok(keys.includes(key), `${key} is a conventions attribute key`);
});

test('the app keys are typed: app strings as strings, heartbeat settings and event loop stalls as durations', () => {
  for (const key of [A.ATTR_APP_PROTOCOL, A.ATTR_APP_CLOSE_REASON, A.ATTR_APP_CONNECT_ERROR]) assert.deepEqual(ATTRIBUTE_TYPES[key], { kind: 'string' });
  for (const key of [A.ATTR_APP_PING_INTERVAL_MS, A.ATTR_APP_PING_TIMEOUT_MS, A.ATTR_EVENT_LOOP_STALL_MS])
    assert.deepEqual(ATTRIBUTE_TYPES[key], { kind: 'duration' });
});
