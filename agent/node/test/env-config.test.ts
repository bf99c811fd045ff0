import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnv } from '../src/env-config.js';

test('CLOSEWATCH_CAPTURE_HTTP_UPGRADES=false turns off http upgrade capture for gateways; anything else keeps the default', () => {
  assert.deepEqual(configFromEnv({ CLOSEWATCH_CAPTURE_HTTP_UPGRADES: 'false' }), { captureHttpUpgrades: false });
  assert.deepEqual(configFromEnv({ CLOSEWATCH_CAPTURE_HTTP_UPGRADES: ' 0 ' }), { captureHttpUpgrades: false });
  assert.deepEqual(configFromEnv({ CLOSEWATCH_CAPTURE_HTTP_UPGRADES: 'true' }), {});
  assert.deepEqual(configFromEnv({}), {});
});
