// An https page opening a ws:// socket: the browser blocks it as mixed content, in the constructor.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, makeTempDir, type RouteHandler } from '@closewatch/test/harness';
import { snippetPath } from './agent-page.js';
import { recordingCollector } from './recording-collector.js';

/** Not loopback by name, so not "potentially trustworthy": a ws:// URL to it from https is mixed content. */
const INSECURE_HOST = 'insecure.closewatch.test';

let browser: Browser;
let server: Server;
let origin: string;
const collector = recordingCollector();

before(async () => {
  const dir = makeTempDir('mixed-content');
  after(() => dir.remove());
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', `${dir.path}/key.pem`, '-out', `${dir.path}/cert.pem`],
    { stdio: 'ignore' },
  );
  const page = (head: string) => `<!doctype html><html><head>${head}</head><body>https page</body></html>`;
  const routes: Record<string, RouteHandler> = {
    '/': (_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end(page('<script src="/agent.js"></script>')),
    '/native': (_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end(page('')),
    '/agent.js': (_request, response) => void response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(snippetPath)),
    ...collector.routes,
  };
  server = createServer({ key: readFileSync(`${dir.path}/key.pem`), cert: readFileSync(`${dir.path}/cert.pem`) }, (request, response) => {
    const route = routes[(request.url ?? '/').split('?')[0]];
    if (route) void route(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The name resolves to loopback, should the browser ever try to connect (it must not).
  browser = await launchChromium({ args: [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`] });
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function constructInsecureSocket(path: string): Promise<{ name: string; message: string } | string> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(`${origin}${path}`);
    return await page.evaluate<{ name: string; message: string } | string>(`(() => {
      try {
        new WebSocket('ws://${INSECURE_HOST}:9/feed?case=mixed-content');
        return 'no exception';
      } catch (error) {
        return { name: error.name, message: error.message };
      }
    })()`);
  } finally {
    await context.close();
  }
}

test('an https page constructing a ws:// socket gets the native exception, and a constructor-failure span is recorded', async () => {
  const native = await constructInsecureSocket('/native');
  const wrapped = await constructInsecureSocket('/');
  assert.equal((native as { name: string }).name, 'SecurityError', `the browser blocks mixed content: ${JSON.stringify(native)}`);
  assert.deepEqual(wrapped, native);
  // The page is gone: its span left by beacon (or fetch keepalive) on pagehide, or by the timer before.
  const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=mixed-content'));
  assert.equal(span.attributes['error.type'], 'SecurityError');
  assert.equal(span.attributes['websocket.phase'], 'handshake');
  assert.equal(span.attributes['websocket.opened'], false);
  assert.equal(span.attributes['websocket.close.code'], undefined);
  assert.equal(span.attributes['url.full'], `ws://${INSECURE_HOST}:9/feed?case=mixed-content`);
});
