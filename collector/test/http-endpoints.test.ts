import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { resolveAgentScript } from '../src/http/agent-script-router.js';
import { startTestCollector } from './support/test-collector.js';

describe('collector HTTP endpoints', () => {
  it('serves the built browser snippet at /agent.js as cacheable JavaScript loadable from any origin', async (t) => {
    const path = resolveAgentScript();
    assert.ok(path, 'npm run build produces agent/browser/dist/closewatch.iife.js');
    const collector = await startTestCollector(t);
    const response = await fetch(`${collector.url}/agent.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(response.headers.get('cache-control') ?? '', /max-age=300/);
    assert.ok(response.headers.get('etag'));
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(await response.text(), readFileSync(path, 'utf8'));
    // fetch() adds `Cache-Control: no-cache` to conditional requests, so revalidate as a browser cache would.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${collector.url}/agent.js`, { headers: { 'if-none-match': response.headers.get('etag')!, 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    assert.equal(status, 304);
  });

  it("sends /agent.js gzip-encoded (the build's zopfli stream, within 3.5 KB) to clients that accept gzip, else as is", async (t) => {
    const path = resolveAgentScript()!;
    const collector = await startTestCollector(t);
    const fetchRaw = (acceptEncoding?: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        get(`${collector.url}/agent.js`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const gzipped = await fetchRaw('gzip, deflate, br');
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.match(String(gzipped.headers.vary), /accept-encoding/i);
    assert.equal(gzipped.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(gzipped.body.length <= 3584, `${gzipped.body.length} bytes on the wire`);
    assert.equal(gunzipSync(gzipped.body).toString('utf8'), readFileSync(path, 'utf8'));
    for (const acceptEncoding of [undefined, 'identity', 'br']) {
      const plain = await fetchRaw(acceptEncoding);
      assert.equal(plain.headers['content-encoding'], undefined, `Accept-Encoding: ${acceptEncoding}`);
      assert.equal(plain.body.toString('utf8'), readFileSync(path, 'utf8'));
    }
  });

  it('answers /healthz and /readyz, and unknown API paths in the error shape', async (t) => {
    const collector = await startTestCollector(t);
    assert.deepEqual(await (await fetch(`${collector.url}/healthz`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${collector.url}/readyz`)).json(), { status: 'ready', store: 'duckdb' });
    const missing = await fetch(`${collector.url}/api/v1/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
  });
});
