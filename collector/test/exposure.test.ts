import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_CONFIG } from '../src/config.js';
import { loadConfig } from '../src/config/load-config.js';
import { exposureWarnings } from '../src/exposure-warnings.js';
import { isLoopbackHost } from '../src/exposure.js';

describe('exposure beyond loopback', () => {
  test('loopback bind addresses and localhost are not exposed; wildcards, interface addresses and other names are', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.0.2.2', 'fd00::2', 'collector.internal', 'localhost.example.com'])
      assert.equal(isLoopbackHost(host), false, host);
  });

  test('each warning names the setting that closes it, and goes away once that setting is set', () => {
    const open = { ...DEFAULT_CONFIG, host: '192.0.2.2' };
    const warnings = exposureWarnings(open, 4318);
    assert.deepEqual(
      warnings.map((line) => /CLOSEWATCH_[A-Z_]+/.exec(line)?.[0]),
      ['CLOSEWATCH_ADMIN_TOKEN', 'CLOSEWATCH_READ_REQUIRES_TOKEN', 'CLOSEWATCH_INGEST_KEYS', 'CLOSEWATCH_ALLOWED_ORIGINS'],
    );
    assert.match(warnings[2], /anyone who can reach 192\.0\.2\.2:4318/);
    const closed = { ...open, adminToken: 't', readRequiresToken: true, ingestKeys: ['k'], allowedOrigins: ['https://app.example'] };
    assert.deepEqual(exposureWarnings(closed, 4318), []);
    assert.deepEqual(exposureWarnings(DEFAULT_CONFIG, 4318), [], 'loopback: nothing to warn about');
  });

  test('CLOSEWATCH_ALERT_TARGET_ALLOWLIST takes addresses and CIDR ranges, and names a bad entry', () => {
    assert.deepEqual(DEFAULT_CONFIG.alertTargetAllowlist, []);
    assert.deepEqual(loadConfig({ env: { CLOSEWATCH_ALERT_TARGET_ALLOWLIST: '127.0.0.1, ::1/128,10.0.0.0/8' } }).alertTargetAllowlist, [
      '127.0.0.1',
      '::1/128',
      '10.0.0.0/8',
    ]);
    for (const bad of ['localhost', '10.0.0.0/33', '10.0.0.0/8/1', 'fe80::/129']) {
      assert.throws(
        () => loadConfig({ env: { CLOSEWATCH_ALERT_TARGET_ALLOWLIST: bad } }),
        new RegExp(`CLOSEWATCH_ALERT_TARGET_ALLOWLIST: alertTargetAllowlist must be IP addresses or CIDR ranges.*${bad.replace(/[./]/g, '\\$&')}`),
      );
    }
  });
});
