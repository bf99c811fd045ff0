import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage } from './chromium.js';
import { serveStatic } from './static-server.js';
import { startWsServer } from './ws-server.js';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test('Chromium opens a page served on loopback and reads its title', async (t) => {
  const site = await serveStatic({ '/': { body: '<!doctype html><title>closewatch harness</title><p>hi</p>' } }, { t });
  const page = await openPage(browser, `${site.url}/`, { t });
  assert.equal(await page.title(), 'closewatch harness');
});

test('serveStatic answers unknown paths with 404 and runs handler routes', async (t) => {
  const site = await serveStatic(
    {
      '/dynamic': (request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ query: request.url }));
      },
    },
    { t },
  );
  assert.equal((await fetch(`${site.url}/missing`)).status, 404);
  const dynamic = await fetch(`${site.url}/dynamic?x=1`);
  assert.deepEqual(await dynamic.json(), { query: '/dynamic?x=1' });
});

test('a page and its WebSocket share an origin when serveStatic forwards upgrades', async (t) => {
  const ws = await startWsServer({
    t,
    onConnection(socket, request) {
      socket.send(`origin=${request.headers.origin}`);
    },
  });
  const page = `<!doctype html><script>
    window.received = new Promise((resolve) => {
      const socket = new WebSocket('ws://' + location.host + '/live');
      socket.onmessage = (event) => resolve(event.data);
    });
  </script>`;
  const site = await serveStatic({ '/': { body: page } }, { t, upgradeTo: ws.port });
  const tab = await openPage(browser, `${site.url}/`, { t });
  assert.equal(await tab.evaluate('window.received'), `origin=${site.url}`);
});
