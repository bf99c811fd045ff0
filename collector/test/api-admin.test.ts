import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import type { PublicConfig } from '@closewatch/conventions';
import { makeTempDir, type TempDir } from '@closewatch/test/harness';
import { CSRF_HEADER } from '../src/api/cross-site.js';
import { ADMIN_TOKEN_HEADER, requireAdmin } from '../src/api/require-admin.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { errorHandler } from '../src/http/error-handler.js';
import { startTestCollector, type TestCollector } from './api-fixtures.js';
import { jsonOf, type ErrorBody } from './support/json-answer.js';

const TOKEN = 'correct horse battery staple';

async function listen(app: express.Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server });
    });
  });
}

describe('requireAdmin on a write route', () => {
  let url: string;
  let server: Server;
  before(async () => {
    const app = express();
    const config = { ...DEFAULT_CONFIG, adminToken: TOKEN, publicUrl: 'https://closewatch.example.com' };
    app.post('/write', requireAdmin({ config }), (_req, res) => void res.status(201).json({ ok: true }));
    app.get('/write', requireAdmin({ config }), (_req, res) => void res.json({ ok: true }));
    app.use(errorHandler(() => undefined));
    ({ url, server } = await listen(app));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function post(headers: Record<string, string>): Promise<{ status: number; code: string | undefined }> {
    const response = await fetch(`${url}/write`, { method: 'POST', headers });
    const body = (await response.json()) as { error?: { code: string } };
    return { status: response.status, code: body.error?.code };
  }

  const good = { [ADMIN_TOKEN_HEADER]: TOKEN, [CSRF_HEADER]: '1' };

  test('a write with the token and the CSRF header from the same origin passes', async () => {
    assert.deepEqual(await post(good), { status: 201, code: undefined });
    assert.deepEqual(await post({ ...good, origin: url, 'sec-fetch-site': 'same-origin' }), { status: 201, code: undefined });
    assert.deepEqual(await post({ ...good, origin: 'https://closewatch.example.com' }), { status: 201, code: undefined });
  });

  test('a write without the token is 401, with a wrong one 403', async () => {
    assert.deepEqual(await post({ [CSRF_HEADER]: '1' }), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await post({ ...good, [ADMIN_TOKEN_HEADER]: 'guess' }), { status: 403, code: 'forbidden' });
  });

  test('cross-site writes are rejected even with the token', async () => {
    assert.deepEqual(await post({ [ADMIN_TOKEN_HEADER]: TOKEN }), { status: 403, code: 'csrf_rejected' });
    assert.deepEqual(await post({ ...good, origin: 'https://evil.example' }), { status: 403, code: 'csrf_rejected' });
    assert.deepEqual(await post({ ...good, 'sec-fetch-site': 'cross-site' }), { status: 403, code: 'csrf_rejected' });
  });

  test('reads need only the token, not the CSRF header', async () => {
    const response = await fetch(`${url}/write`, { headers: { [ADMIN_TOKEN_HEADER]: TOKEN } });
    assert.equal(response.status, 200);
  });
});

describe('the collector enforces the admin token on alert rule writes', () => {
  let dir: TempDir;
  let collector: TestCollector;
  before(async () => {
    dir = makeTempDir('api-admin');
    collector = await startTestCollector(dir.path, { adminToken: TOKEN });
  });
  after(async () => {
    await collector?.close();
    await dir?.remove();
  });

  test('POST /api/v1/alerts without the token is 401 and stores nothing; reads stay open', async () => {
    const response = await fetch(`${collector.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
      body: JSON.stringify({ name: 'x' }),
    });
    assert.equal(response.status, 401);
    assert.equal((await jsonOf<ErrorBody>(response)).error.code, 'unauthorized');
    assert.deepEqual(await collector.store.listAlertRules(), []);
    const config = await jsonOf<PublicConfig>(await fetch(`${collector.url}/api/v1/config/public`));
    assert.equal(config.adminTokenRequired, true);
  });
});

describe('readRequiresToken: a collector whose data needs the token to read', () => {
  let dir: TempDir;
  let collector: TestCollector;
  before(async () => {
    dir = makeTempDir('api-read-token');
    collector = await startTestCollector(dir.path, { adminToken: TOKEN, readRequiresToken: true });
  });
  after(async () => {
    await collector?.close();
    await dir?.remove();
  });

  test('API reads without the token are 401, with a wrong one 403, with the right one 200', async () => {
    const without = await fetch(`${collector.url}/api/v1/summary`);
    assert.equal(without.status, 401);
    assert.match((await jsonOf<ErrorBody>(without)).error.message, /admin token in x-closewatch-token for reads/);
    assert.equal((await fetch(`${collector.url}/api/v1/closes`, { headers: { [ADMIN_TOKEN_HEADER]: 'wrong' } })).status, 403);
    assert.equal((await fetch(`${collector.url}/api/v1/summary`, { headers: { [ADMIN_TOKEN_HEADER]: TOKEN } })).status, 200);
  });

  test('the public config stays open and says reads need the token; ingest and health are unaffected', async () => {
    const config = await jsonOf<PublicConfig>(await fetch(`${collector.url}/api/v1/config/public`));
    assert.equal(config.readTokenRequired, true);
    assert.equal((await fetch(`${collector.url}/healthz`)).status, 200);
    const ingest = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    assert.equal(ingest.status, 200);
  });
});
