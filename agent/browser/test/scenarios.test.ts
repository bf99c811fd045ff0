// What the agent exports for real connections in Chromium: one span per connection, as docs/design.md describes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, startWsServer, type StaticServer, type WsServerHandle } from '@closewatch/test/harness';
import { ATTR_CLOSE_CODE, ATTR_PHASE, ATTR_HANDSHAKE_DURATION_MS, ATTR_MESSAGES_SENT, SNIPPET_KEYS, expandSnippetKeys } from '@closewatch/conventions';
import { serveAgentPage, type ExportedSpan, type OtlpKeyValue } from './agent-page.js';
import { recordingCollector, type RecordingCollector } from './recording-collector.js';

describe('scenarios: the exported websocket.connection span', () => {
  let browser: Browser;
  let wsServer: WsServerHandle;
  let pageServer: StaticServer;
  let collector: RecordingCollector;
  /** `req.url` of every upgrade request the ws server received. */
  const upgradeUrls: string[] = [];

  before(async () => {
    browser = await launchChromium();
    wsServer = await startWsServer({
      handleProtocols: (protocols, request) => (request.url?.startsWith('/no-subprotocol') ? false : (protocols.values().next().value ?? false)),
      verifyClient(info, done) {
        upgradeUrls.push(info.req.url ?? '');
        if (info.req.url?.startsWith('/auth')) done(false, 401, 'Unauthorized');
        else done(true);
      },
      onConnection(socket) {
        socket.on('message', function serverOnMessage(data) {
          const text = (data as Buffer).toString();
          if (text === 'terminate') socket.terminate();
          else if (text === 'close-4001') socket.close(4001, 'session expired');
          else socket.send(text);
        });
      },
    });
    collector = recordingCollector();
    pageServer = await serveAgentPage({
      agent: { key: 'browser-key', service: 'scenario-app', 'flush-interval-ms': '100' },
      upgradeTo: wsServer.port,
      routes: collector.routes,
    });
  });
  after(async () => {
    await browser?.close();
    await pageServer?.close();
    await wsServer?.close();
  });

  /** Runs `body` (an async function source taking the page's ws:// origin) in a fresh page; `R` is what it resolves to. */
  async function inPage<R = PageClose>(t: { after(fn: () => unknown): void }, body: string): Promise<{ page: Page; result: R }> {
    const page = await openPage(browser, `${pageServer.url}/`, { t });
    const result = await page.evaluate<R>(`(${body})(${JSON.stringify(pageServer.url.replace('http:', 'ws:'))})`);
    return { page, result };
  }

  function spanFor(scenario: string): Promise<ExportedSpan> {
    return collector.waitForSpan((span) => String(span.attributes['url.full']).includes(`case=${scenario}`));
  }

  /** What `closeOf` resolves to in the page. */
  interface PageClose {
    code: number;
    wasClean: boolean;
    url: string;
  }
  const closeOf = `(socket) => new Promise((resolve) => socket.addEventListener('close', (e) => resolve({ code: e.code, wasClean: e.wasClean, url: socket.url })))`;

  test('server answers 401 to the upgrade: handshake phase, 1006, propagated, __cw reached the server', async (t) => {
    const { result } = await inPage(t, `async (base) => (${closeOf})(new WebSocket(base + '/auth?case=auth401'))`);
    assert.equal(result.code, 1006);
    assert.equal(result.url.includes('__cw'), false, 'the page never sees __cw');
    const span = await spanFor('auth401');
    assert.equal(span.attributes['websocket.phase'], 'handshake');
    assert.equal(span.attributes['websocket.close.code'], 1006);
    assert.equal(span.attributes['websocket.close.was_clean'], false);
    assert.equal(span.attributes['websocket.opened'], false);
    assert.equal(span.attributes['websocket.propagated'], true);
    const serverSaw = upgradeUrls.find((url) => url.includes('case=auth401'));
    assert.ok(serverSaw, 'the upgrade reached the server');
    const traceparent = new URL(serverSaw, 'http://x').searchParams.get('__cw');
    assert.equal(traceparent, `00-${span.traceId}-${span.spanId}-01`);
  });

  test('client asks for a subprotocol the server does not pick: handshake failure with the requested list', async (t) => {
    const { result } = await inPage(t, `async (base) => (${closeOf})(new WebSocket(base + '/no-subprotocol?case=subprotocol', ['v2.chat', 'v1.chat']))`);
    assert.equal(result.code, 1006);
    const span = await spanFor('subprotocol');
    assert.equal(span.attributes['websocket.phase'], 'handshake');
    assert.deepEqual(span.attributes['websocket.subprotocols.requested'], ['v2.chat', 'v1.chat']);
    assert.equal(span.attributes['websocket.subprotocol'], '');
    assert.equal(span.attributes['websocket.opened'], false);
  });

  test('server calls terminate(): 1006 in the open phase with message counters', async (t) => {
    const { result } = await inPage(
      t,
      `async (base) => {
        const socket = new WebSocket(base + '/echo?case=terminate');
        await new Promise((resolve) => (socket.onopen = resolve));
        socket.send('ping');
        await new Promise((resolve) => (socket.onmessage = resolve));
        socket.send('terminate');
        return (${closeOf})(socket);
      }`,
    );
    assert.equal(result.code, 1006);
    const span = await spanFor('terminate');
    assert.equal(span.attributes['websocket.phase'], 'open');
    assert.equal(span.attributes['websocket.opened'], true);
    assert.equal(span.attributes['websocket.close.code'], 1006);
    assert.equal(span.attributes['websocket.close.initiator'], 'unknown');
    assert.equal(span.attributes['websocket.messages.sent'], 2);
    assert.equal(span.attributes['websocket.messages.received'], 1);
    assert.ok(span.events.some((event) => event.name === 'websocket.open'));
  });

  test('clean 1000 close by the app: open phase (the close completed), client initiated, bytes counted, __cw hidden from ws.url', async (t) => {
    const { result } = await inPage(
      t,
      `async (base) => {
        const socket = new WebSocket(base + '/echo?case=clean&token=s3cret');
        await new Promise((resolve) => (socket.onopen = resolve));
        socket.send('héllo');
        await new Promise((resolve) => (socket.onmessage = resolve));
        socket.close(1000, 'done');
        return (${closeOf})(socket);
      }`,
    );
    assert.deepEqual(result, { code: 1000, wasClean: true, url: `${pageServer.url.replace('http:', 'ws:')}/echo?case=clean&token=s3cret` });
    const span = await spanFor('clean');
    const attributes = span.attributes;
    assert.equal(attributes['websocket.close.code'], 1000);
    assert.equal(attributes['websocket.close.reason'], 'done');
    assert.equal(attributes['websocket.close.was_clean'], true);
    assert.equal(attributes['websocket.close.initiator'], 'client');
    assert.equal(attributes['websocket.phase'], 'open', 'a close the app began and the server answered ended from open (docs/design.md)');
    assert.equal(attributes['websocket.bytes.sent'], 6);
    assert.equal(attributes['websocket.bytes.received'], 6);
    assert.equal(attributes['websocket.buffered_amount'], 0);
    assert.equal(attributes['browser.online'], true);
    assert.equal(attributes['browser.visibility_state'], 'visible');
    assert.match(String(attributes['url.full']), /^ws:\/\/127\.0\.0\.1:\d+\/echo\?case=clean&token=REDACTED$/);
    for (const key of ['websocket.handshake.duration_ms', 'websocket.open.duration_ms', 'websocket.idle_before_close_ms']) {
      assert.equal(typeof attributes[key], 'number', key);
      assert.ok((attributes[key] as number) >= 0, key);
    }
    assert.ok(upgradeUrls.some((url) => url.includes('case=clean') && url.includes('__cw=00-')));
  });

  test('server app closes with 4001: application code, server initiated, open phase', async (t) => {
    await inPage(
      t,
      `async (base) => {
        const socket = new WebSocket(base + '/echo?case=app4001');
        await new Promise((resolve) => (socket.onopen = resolve));
        socket.send('close-4001');
        return (${closeOf})(socket);
      }`,
    );
    const span = await spanFor('app4001');
    assert.equal(span.attributes['websocket.close.code'], 4001);
    assert.equal(span.attributes['websocket.close.reason'], 'session expired');
    assert.equal(span.attributes['websocket.close.initiator'], 'server');
    assert.equal(span.attributes['websocket.phase'], 'open');
  });

  test('invalid URL: the constructor throws SyntaxError to the app and the failure is a span', async (t) => {
    const { result } = await inPage<string>(t, `async () => { try { new WebSocket('ws://[bad-host/?case=invalid'); } catch (e) { return e.name; } }`);
    assert.equal(result, 'SyntaxError');
    const span = await collector.waitForSpan((candidate) => candidate.attributes['error.type'] === 'SyntaxError');
    assert.equal(span.attributes['websocket.phase'], 'handshake');
    assert.equal(span.attributes['websocket.opened'], false);
    assert.equal(span.attributes['websocket.close.code'], undefined);
  });

  test('a socket to another host gets no __cw', async (t) => {
    const port = wsServer.port;
    const { result } = await inPage(
      t,
      `async () => {
        const socket = new WebSocket('ws://localhost:${port}/echo?case=otherhost');
        await new Promise((resolve) => (socket.onopen = resolve));
        socket.close();
        return (${closeOf})(socket);
      }`,
    );
    assert.equal(result.code, 1005);
    const span = await spanFor('otherhost');
    assert.equal(span.attributes['websocket.propagated'], false);
    assert.ok(upgradeUrls.some((url) => url.includes('case=otherhost') && !url.includes('__cw')));
  });

  test('the export is OTLP/JSON with the ingest key: ids, kind, nanosecond times, resource and scope', async () => {
    const span = await spanFor('clean');
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
    assert.match(span.spanId, /^[0-9a-f]{16}$/);
    assert.equal(span.name, 'websocket.connection');
    assert.equal(span.kind, 3);
    assert.match(span.startTimeUnixNano, /^\d{19}$/);
    assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano));
    assert.equal(span.resource['service.name'], 'scenario-app');
    assert.deepEqual(span.scope, { name: '@closewatch/agent-browser', version: '0.1.0' });
    const traces = collector.requests.filter((request) => request.path === '/v1/traces');
    assert.ok(traces.length > 0);
    for (const request of traces) {
      assert.equal(request.headers['x-closewatch-key'], 'browser-key');
      assert.equal(request.headers['content-type'], 'application/json');
    }
    const body = JSON.parse(traces[0].body.toString()) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ attributes: OtlpKeyValue[] }> }> }> };
    const rawSpan = body.resourceSpans[0].scopeSpans[0].spans[0];
    const wire = (key: string) => rawSpan.attributes.find((kv) => kv.key === SNIPPET_KEYS[key])?.value;
    assert.equal(typeof wire(ATTR_MESSAGES_SENT)?.intValue, 'string', 'int64 travels as a string');
    assert.equal(typeof wire(ATTR_HANDSHAKE_DURATION_MS)?.doubleValue, 'number', 'durations travel as doubles');
  });

  test("the snippet sends conventions' short attribute keys, each of which the collector expands", async () => {
    const span = await spanFor('clean');
    const shortKeys = new Set(Object.values(SNIPPET_KEYS));
    assert.ok(span.wireKeys.length >= 20);
    for (const key of span.wireKeys) assert.ok(shortKeys.has(key), `wire key ${key} is one of SNIPPET_KEYS`);
    for (const key of span.wireKeys) assert.ok(Object.keys(expandSnippetKeys({ [key]: 0 }))[0] in span.attributes, key);
    assert.equal(span.attributes[ATTR_CLOSE_CODE], 1000);
    assert.equal(span.wireKeys.includes(SNIPPET_KEYS[ATTR_PHASE]), false, 'the phase is derived by the collector');
    assert.equal(span.attributes[ATTR_PHASE], 'open');
  });
});
