// The page's life around its sockets (offline, unload, CSP) and the exporter's behaviour when the collector struggles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { freePort, launchChromium, openPage, startOtlpReceiver, startWsServer, waitFor, type WsServerHandle } from '@closewatch/test/harness';
import { build } from 'esbuild';
import { exportedSpans, serveAgentPage } from './agent-page.js';
import { recordingCollector } from './recording-collector.js';

type Scope = { after(fn: () => unknown): void };

describe('page lifecycle and export', () => {
  let browser: Browser;
  let wsServer: WsServerHandle;

  before(async () => {
    browser = await launchChromium();
    wsServer = await startWsServer({
      onConnection(socket) {
        socket.on('message', function echo(data) {
          socket.send((data as Buffer).toString());
        });
      },
    });
  });
  after(async () => {
    await browser?.close();
    await wsServer?.close();
  });

  const wsOrigin = (pageUrl: string) => pageUrl.replace('http:', 'ws:');
  const openSocket = (path: string) => `async (base) => {
    window.socket = new WebSocket(base + '${path}');
    await new Promise((resolve) => (window.socket.onopen = resolve));
    window.socketClosed = new Promise((resolve) => window.socket.addEventListener('close', (e) => resolve(e.code)));
  }`;
  const stats = (page: Page) => page.evaluate<Record<string, number>>(`window[Symbol.for('closewatch.agent')].stats()`);

  test('the page goes offline during a connection: went_offline, offline event, online=false at close', async (t: Scope) => {
    const collector = recordingCollector();
    const server = await serveAgentPage({ t, agent: { 'flush-interval-ms': '100' }, upgradeTo: wsServer.port, routes: collector.routes });
    const page = await openPage(browser, `${server.url}/`, { t });
    await page.evaluate(`(${openSocket('/echo?case=offline')})(${JSON.stringify(wsOrigin(server.url))})`);
    await page.context().setOffline(true);
    await page.waitForFunction('navigator.onLine === false');
    const closeCode = await page.evaluate(`window.socket.close(4000, 'gave up'); window.socketClosed`);
    assert.equal(closeCode, 4000);
    await page.context().setOffline(false);
    const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=offline'), 20_000);
    assert.equal(span.attributes['browser.went_offline'], true);
    assert.equal(span.attributes['browser.online'], false);
    assert.equal(span.attributes['browser.online_at_start'], true);
    assert.ok(span.events.some((event) => event.name === 'browser.offline'));
  });

  test('the page navigates away: the open connection is reported as page_unloading by sendBeacon', async (t: Scope) => {
    const collector = recordingCollector();
    const server = await serveAgentPage({ t, agent: { key: 'beacon-key' }, upgradeTo: wsServer.port, routes: collector.routes });
    const page = await openPage(browser, `${server.url}/`, { t });
    await page.evaluate(`(${openSocket('/echo?case=unload')})(${JSON.stringify(wsOrigin(server.url))})`);
    await page.goto(`${server.url}/other`);
    const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=unload'));
    assert.equal(span.path, '/v1/beacon');
    assert.equal(span.attributes['browser.page_unloading'], true);
    assert.equal(span.attributes['websocket.phase'], 'open');
    assert.ok(span.events.some((event) => event.name === 'browser.pagehide'));
    const beacon = collector.requests.find((request) => request.path === '/v1/beacon');
    assert.ok(beacon);
    assert.equal(new URL(beacon.url, 'http://x').searchParams.get('key'), 'beacon-key');
    assert.match(String(beacon.headers['content-type']), /^text\/plain/);
    assert.ok(beacon.body.length <= 60_000);
  });

  test('CSP connect-src blocks the socket: a handshake span with the violation as evidence', async (t: Scope) => {
    const collector = recordingCollector();
    const server = await serveAgentPage({
      t,
      agent: { 'flush-interval-ms': '100' },
      headers: { 'content-security-policy': "connect-src 'self'" },
      routes: collector.routes,
    });
    const page = await openPage(browser, `${server.url}/`, { t });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const readyState = await page.evaluate(`new WebSocket('ws://127.0.0.1:${wsServer.port}/blocked?case=csp').readyState`);
    assert.equal(readyState, 3);
    const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=csp'));
    assert.equal(span.attributes['websocket.phase'], 'handshake');
    assert.equal(span.attributes['error.type'], 'SecurityError');
    const violation = span.events.find((event) => event.name === 'browser.securitypolicyviolation');
    assert.ok(violation, 'the CSP report is attached');
    assert.equal(violation.attributes['csp.directive'], 'connect-src');
    assert.deepEqual(Object.keys(violation.attributes), ['csp.directive'], "the blocked URI is the span's url.full, sent once");
    assert.deepEqual(pageErrors, []);
  });

  test('the collector is down: the page works, the queue stays bounded and the overflow is counted', async (t: Scope) => {
    const deadPort = await freePort();
    const server = await serveAgentPage({ t, agent: { endpoint: `http://127.0.0.1:${deadPort}`, 'flush-interval-ms': '50' }, upgradeTo: wsServer.port });
    const page = await openPage(browser, `${server.url}/`, { t });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const failures = await page.evaluate(`(() => {
      let thrown = 0;
      for (let i = 0; i < 300; i++) {
        try { new WebSocket('ws://[bad/' + i); } catch { thrown++; }
      }
      return thrown;
    })()`);
    assert.equal(failures, 300);
    const echoed = await page.evaluate(`(async (base) => {
      const socket = new WebSocket(base + '/echo?case=still-works');
      await new Promise((resolve) => (socket.onopen = resolve));
      socket.send('still here');
      const reply = await new Promise((resolve) => (socket.onmessage = (e) => resolve(e.data)));
      socket.close();
      return reply;
    })(${JSON.stringify(wsOrigin(server.url))})`);
    assert.equal(echoed, 'still here');
    const after = await waitFor(async () => {
      const current = await stats(page);
      return current.dropped >= 100 && current;
    });
    assert.ok(after.queued <= 200, `queued ${after.queued}`);
    assert.equal(after.sent, 0);
    assert.equal(after.errors, 0);
    assert.deepEqual(pageErrors, []);
  });

  test('429 with Retry-After: the batch is sent again and delivered', async (t: Scope) => {
    const collector = recordingCollector((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 }));
    const server = await serveAgentPage({ t, agent: { 'flush-interval-ms': '50' }, routes: collector.routes });
    const page = await openPage(browser, `${server.url}/`, { t });
    await page.evaluate(`try { new WebSocket('ws://[bad/?case=retry'); } catch {}`);
    const span = await collector.waitForSpan((candidate) => candidate.attributes['error.type'] === 'SyntaxError');
    assert.equal(collector.requests.length, 2);
    const [first] = exportedSpans([collector.requests[0]]);
    assert.equal(first.spanId, span.spanId, 'the refused batch was sent again');
    // The page counts the span as sent when it reads the 200, a moment after the collector recorded the request.
    const delivered = await waitFor(async () => {
      const current = await stats(page);
      return current.sent > 0 && current;
    });
    assert.equal(delivered.sent, 1);
  });

  test('sampling keeps every abnormal close and drops clean 1000s and 1005s (a close without a code) at rate 0', async (t: Scope) => {
    const collector = recordingCollector();
    const server = await serveAgentPage({ t, agent: { 'sample-rate': '0', 'flush-interval-ms': '50' }, upgradeTo: wsServer.port, routes: collector.routes });
    const page = await openPage(browser, `${server.url}/`, { t });
    await page.evaluate(`(async (base) => {
      for (const [name, code] of [['sampled-normal', 1000], ['sampled-no-status'], ['sampled-app', 4002]]) {
        const socket = new WebSocket(base + '/echo?case=' + name);
        await new Promise((resolve) => (socket.onopen = resolve));
        if (code === undefined) socket.close();
        else socket.close(code);
        await new Promise((resolve) => (socket.onclose = resolve));
      }
    })(${JSON.stringify(wsOrigin(server.url))})`);
    await collector.waitForSpan((span) => String(span.attributes['url.full']).includes('case=sampled-app'));
    await page.evaluate(`window[Symbol.for('closewatch.agent')].flush()`);
    assert.equal(collector.spans().filter((span) => String(span.attributes['url.full']).includes('case=sampled-normal')).length, 0);
    assert.equal(collector.spans().filter((span) => String(span.attributes['url.full']).includes('case=sampled-no-status')).length, 0);
  });

  test('a second snippet does not wrap twice, and uninstall() restores the native WebSocket', async (t: Scope) => {
    const server = await serveAgentPage({ t, agent: { endpoint: 'http://127.0.0.1:9' } });
    const page = await openPage(browser, `${server.url}/native`, { t });
    const result = await page.evaluate(`(async () => {
      const native = { WebSocket, send: WebSocket.prototype.send, toString: Function.prototype.toString };
      const load = () => new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = '/agent.js';
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      });
      await load();
      const first = WebSocket;
      await load();
      const wrappedOnce = WebSocket === first && WebSocket !== native.WebSocket;
      window[Symbol.for('closewatch.agent')].uninstall();
      return {
        wrappedOnce,
        restored: WebSocket === native.WebSocket && WebSocket.prototype.send === native.send && Function.prototype.toString === native.toString,
        constructorRestored: WebSocket.prototype.constructor === native.WebSocket,
        agentGone: window[Symbol.for('closewatch.agent')] === undefined,
      };
    })()`);
    assert.deepEqual(result, { wrappedOnce: true, restored: true, constructorRestored: true, agentGone: true });
  });

  test('the ESM package bundled by an app: init() installs once, validates its options, exports spans', async (t: Scope) => {
    const bundled = await build({
      stdin: {
        contents: `import { init, uninstall } from '@closewatch/agent-browser';
          window.results = {};
          try { init({}); } catch (error) { window.results.missingEndpoint = error.name; }
          const agent = init({ endpoint: location.origin, service: 'esm-app', flushIntervalMs: 50 });
          window.results.sameAgent = init({ endpoint: 'http://elsewhere.invalid' }) === agent;
          window.results.options = agent.options;
          window.uninstallAgent = uninstall;`,
        resolveDir: new URL('.', import.meta.url).pathname,
      },
      bundle: true,
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const collector = recordingCollector();
    const server = await serveAgentPage({
      t,
      agent: null,
      upgradeTo: wsServer.port,
      routes: { ...collector.routes, '/app.js': { body: bundled.outputFiles[0].text, type: 'text/javascript' } },
    });
    const page = await openPage(browser, `${server.url}/native`, { t });
    await page.addScriptTag({ url: '/app.js' });
    type AppResults = { missingEndpoint: string; sameAgent: boolean; options: { service: string; propagateTo: unknown[] } };
    const results = await page.evaluate<AppResults>('window.results');
    assert.equal(results.missingEndpoint, 'TypeError');
    assert.equal(results.sameAgent, true);
    assert.equal(results.options.service, 'esm-app');
    assert.deepEqual(results.options.propagateTo, ['127.0.0.1']);
    await page.evaluate(`(async (base) => {
      const socket = new WebSocket(base + '/echo?case=esm');
      await new Promise((resolve) => (socket.onopen = resolve));
      socket.close(4003);
      await new Promise((resolve) => (socket.onclose = resolve));
    })(${JSON.stringify(wsOrigin(server.url))})`);
    const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=esm'));
    assert.equal(span.resource['service.name'], 'esm-app');
    assert.equal(span.attributes['websocket.close.code'], 4003);
    assert.equal(await page.evaluate('window.uninstallAgent(), window[Symbol.for("closewatch.agent")] === undefined'), true);
  });

  test('an exception inside the agent is swallowed and counted, never seen by the page', async (t: Scope) => {
    const server = await serveAgentPage({ t, agent: { endpoint: 'http://127.0.0.1:9' }, upgradeTo: wsServer.port });
    const page = await openPage(browser, `${server.url}/`, { t });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const reply = await page.evaluate(`(async (base) => {
      // Break what the agent relies on: its span bookkeeping now throws on every call.
      const now = performance.now.bind(performance);
      performance.now = () => { throw new Error('broken clock'); };
      const socket = new WebSocket(base + '/echo?case=broken');
      await new Promise((resolve) => (socket.onopen = resolve));
      socket.send('still echoed');
      const reply = await new Promise((resolve) => (socket.onmessage = (e) => resolve(e.data)));
      socket.close();
      await new Promise((resolve) => (socket.onclose = resolve));
      performance.now = now;
      return reply;
    })(${JSON.stringify(wsOrigin(server.url))})`);
    assert.equal(reply, 'still echoed');
    assert.ok((await stats(page)).errors >= 1);
    assert.deepEqual(pageErrors, []);
  });

  test('an unloading page beacons newest spans first, at most 60 KB per beacon', async (t: Scope) => {
    const collector = recordingCollector();
    const server = await serveAgentPage({ t, agent: {}, upgradeTo: wsServer.port, routes: collector.routes });
    const page = await openPage(browser, `${server.url}/`, { t });
    // 45 finished spans of ~3.5 KB wait in the queue: more than the browser lets a leaving page send.
    const longPath = 'p'.repeat(2000);
    await page.evaluate(`for (let i = 0; i < 45; i++) { try { new WebSocket('ws://[bad/${longPath}/' + i); } catch {} }`);
    await page.evaluate(`(${openSocket('/echo?case=unload-first')})(${JSON.stringify(wsOrigin(server.url))})`);
    await page.goto(`${server.url}/other`);
    const span = await collector.waitForSpan((candidate) => String(candidate.attributes['url.full']).includes('case=unload-first'));
    assert.equal(span.attributes['browser.page_unloading'], true);
    const beacons = collector.requests.filter((request) => request.path === '/v1/beacon');
    assert.ok(beacons.length >= 1);
    for (const beacon of beacons) assert.ok(beacon.body.length <= 60_000, `beacon of ${beacon.body.length} bytes`);
    const [first] = exportedSpans([beacons[0]]);
    assert.equal(first.spanId, span.spanId, 'the span the unload ended goes first');
  });

  test('beacons reach a collector on another origin (the OTLP test receiver) as text/plain', async (t: Scope) => {
    const receiver = await startOtlpReceiver({ t });
    const server = await serveAgentPage({ t, agent: { endpoint: receiver.url, key: 'cross-key' }, upgradeTo: wsServer.port });
    const page = await openPage(browser, `${server.url}/`, { t });
    await page.evaluate(`(${openSocket('/echo?case=cross-origin-unload')})(${JSON.stringify(wsOrigin(server.url))})`);
    await page.goto(`${server.url}/other`);
    const [beacon] = await receiver.waitForRequests(1);
    assert.equal(beacon.path, '/v1/beacon');
    assert.match(String(beacon.headers['content-type']), /^text\/plain/);
    const [span] = exportedSpans([beacon]);
    assert.equal(span.attributes['browser.page_unloading'], true);
    assert.match(String(span.attributes['url.full']), /case=cross-origin-unload/);
  });
});
