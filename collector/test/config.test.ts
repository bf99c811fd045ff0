import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { DEFAULT_CONFIG } from '../src/config.js';
import { loadConfig } from '../src/config/load-config.js';
import { ConfigError } from '../src/config/option-value.js';

describe('collector configuration', () => {
  it('uses the defaults when nothing is given', () => {
    assert.deepEqual(loadConfig({ env: {} }), DEFAULT_CONFIG);
  });

  it('layers file, environment and flags in that order', (t) => {
    const dir = makeTempDir('config');
    t.after(() => dir.remove());
    const file = join(dir.path, 'closewatch.yml');
    writeFileSync(file, 'port: 5000\njoinWindowMs: 1000\ningestKeys: [a, b]\nretentionDays: 3\n');
    const config = loadConfig({
      file,
      env: { CLOSEWATCH_PORT: '6000', CLOSEWATCH_ALLOWED_ORIGINS: 'https://a.example, https://b.example', CLOSEWATCH_RETENTION_DAYS: '7' },
      flags: { port: '7000' },
    });
    assert.equal(config.port, 7000);
    assert.equal(config.joinWindowMs, 1000);
    assert.deepEqual(config.ingestKeys, ['a', 'b']);
    assert.deepEqual(config.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.retentionDays, 7);
    assert.equal(config.publicUrl, 'http://127.0.0.1:7000');
  });

  it('names the option and its source when a value is invalid', (t) => {
    assert.throws(
      () => loadConfig({ env: { CLOSEWATCH_PORT: 'eighty' } }),
      (e: unknown) => e instanceof ConfigError && /CLOSEWATCH_PORT: port must be an integer/.test(e.message),
    );
    assert.throws(() => loadConfig({ flags: { port: '70000' } }), /option --port: port must be an integer from 0 to 65535/);
    assert.throws(() => loadConfig({ env: { CLOSEWATCH_DATABASE_URL: 'not a url' } }), /databaseUrl must be a URL/);
    const dir = makeTempDir('config');
    t.after(() => dir.remove());
    const file = join(dir.path, 'bad.json');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    assert.throws(() => loadConfig({ file }), /unknown option "prot"/);
    assert.throws(() => loadConfig({ file: join(dir.path, 'missing.yml') }), /cannot read config file .*ENOENT/);
  });
});

it('CLOSEWATCH_ALERT_INTERVAL_MS sets how often alert rules are evaluated, at least every 1 s', () => {
  assert.equal(DEFAULT_CONFIG.alertIntervalMs, 30_000);
  assert.equal(loadConfig({ env: { CLOSEWATCH_ALERT_INTERVAL_MS: '5000' } }).alertIntervalMs, 5000);
  assert.throws(() => loadConfig({ env: { CLOSEWATCH_ALERT_INTERVAL_MS: '10' } }), /alertIntervalMs must be an integer from 1000/);
});

it('readRequiresToken without an admin token is refused at configuration time', () => {
  assert.throws(() => loadConfig({ env: { CLOSEWATCH_READ_REQUIRES_TOKEN: 'true' } }), /readRequiresToken is set but no adminToken is configured/);
  assert.equal(loadConfig({ env: { CLOSEWATCH_READ_REQUIRES_TOKEN: 'true', CLOSEWATCH_ADMIN_TOKEN: 's3cret' } }).readRequiresToken, true);
});
