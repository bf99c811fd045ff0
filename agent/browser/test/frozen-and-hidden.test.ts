// A page frozen (and so hidden) while its socket is open, driven the only way a browser can be from
// outside: CDP Page.setWebLifecycleState. The agent ignores synthetic page events, so only the
// browser's own freeze/resume/visibilitychange can exercise this path.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, startWsServer, type WsServerHandle } from '@closewatch/test/harness';
import { serveAgentPage } from './agent-page.js';
import { recordingCollector } from './recording-collector.js';

let browser: Browser;
let wsServer: WsServerHandle;

before(async () => {
  browser = await launchChromium();
  wsServer = await startWsServer({});
});
after(async () => {
  await browser?.close();
  await wsServer?.close();
});

test('a socket open across freeze → resume records browser.frozen, the freeze/resume events and, if the page was hidden, browser.was_hidden', async (t) => {
  const collector = recordingCollector();
  const server = await serveAgentPage({ t, agent: { 'flush-interval-ms': '100' }, upgradeTo: wsServer.port, routes: collector.routes });
  const page = await openPage(browser, `${server.url}/`, { t });
  await page.evaluate(`(async (base) => {
    window.seen = [];
    for (const type of ['freeze', 'resume', 'visibilitychange']) addEventListener(type, (e) => e.isTrusted && seen.push(type + ':' + document.visibilityState));
    window.socket = new WebSocket(base + '/echo?case=frozen');
    await new Promise((resolve) => (socket.onopen = resolve));
  })(${JSON.stringify(server.url.replace('http:', 'ws:'))})`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
  await cdp.send('Page.setWebLifecycleState', { state: 'active' });
  const seen = await page.evaluate<string[]>('seen');
  if (!seen.some((entry) => entry.startsWith('freeze'))) {
    // Headless Chromium 156 accepts the command but fires nothing (nor does any other CDP way tried: see README).
    t.skip(`this Chromium fires no freeze event for Page.setWebLifecycleState (page saw ${JSON.stringify(seen)})`);
    return;
  }
  await page.evaluate(`socket.close(4005, 'after resume')`);
  const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=frozen'));
  assert.equal(span.attributes['browser.frozen'], true);
  const names = span.events.map((event) => event.name);
  assert.ok(names.includes('browser.freeze') && names.includes('browser.resume'), names.join());
  if (seen.some((entry) => entry === 'visibilitychange:hidden')) {
    assert.equal(span.attributes['browser.was_hidden'], true);
    assert.ok(names.includes('browser.hidden'));
  }
  assert.equal(span.attributes['browser.visibility_state'], await page.evaluate('document.visibilityState'));
});
