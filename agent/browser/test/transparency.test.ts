// The same page script, run with and without the agent, must observe exactly the same WebSocket.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  openPage,
  startOtlpReceiver,
  startWsServer,
  waitFor,
  type OtlpReceiver,
  type StaticServer,
  type WsServerHandle,
} from '@closewatch/test/harness';
import { exportedSpans, serveAgentPage } from './agent-page.js';

const probeSource = readFileSync(new URL('./pages/transparency-probe.js', import.meta.url), 'utf8');

/** The parts of what the probe page resolves to that the test reads by name (the rest is compared whole). */
interface ProbeResults {
  instance: { instanceOf: boolean };
  constructorShape: { source: string };
  badUrl: { name: string };
  duplicateProtocols: { name: string };
  badCloseCode: { name: string };
  longReason: { name: string };
  sendWhileConnecting: { name: string };
  afterOpen: { protocol: string };
  log: Array<{ type: string; tag: string; code: number; dataKind: string }>;
}

describe('transparency: a wrapped WebSocket is indistinguishable from the native one', () => {
  let browser: Browser;
  let wsServer: WsServerHandle;
  let receiver: OtlpReceiver;

  before(async () => {
    browser = await launchChromium();
    receiver = await startOtlpReceiver();
    wsServer = await startWsServer({
      handleProtocols: (protocols) => protocols.values().next().value ?? false,
      verifyClient: (info, done) => (info.req.url?.startsWith('/reject') ? done(false, 401) : done(true)),
      onConnection(socket) {
        socket.on('message', function echo(data, isBinary) {
          socket.send(data, { binary: isBinary });
        });
      },
    });
  });
  after(async () => {
    await browser?.close();
    await wsServer?.close();
    await receiver?.close();
  });

  async function observe(t: { after(fn: () => unknown): void }, server: StaticServer, path: string) {
    const agent = path === '/';
    const page = await openPage(browser, `${server.url}${path}`, { t });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const baseUrl = server.url.replace('http:', 'ws:');
    const results = await page.evaluate<ProbeResults>(`(${probeSource})(${JSON.stringify(baseUrl)})`);
    const stats = agent ? await page.evaluate<{ errors: number }>(`window[Symbol.for('closewatch.agent')].stats()`) : null;
    return { results, pageErrors, stats };
  }

  test('constructor, errors, properties, descriptors, events and close() match the native WebSocket', async (t) => {
    const server = await serveAgentPage({ t, agent: { endpoint: receiver.url, 'flush-interval-ms': '100' }, upgradeTo: wsServer.port });
    const native = await observe(t, server, '/native');
    const wrapped = await observe(t, server, '/');

    if (process.env.CLOSEWATCH_DEBUG) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync('/tmp/cw-native.json', JSON.stringify(native.results, null, 1));
      writeFileSync('/tmp/cw-wrapped.json', JSON.stringify(wrapped.results, null, 1));
    }
    assert.deepEqual(wrapped.results, native.results);
    assert.deepEqual(wrapped.pageErrors, native.pageErrors);
    assert.equal(wrapped.stats?.errors, 0, 'the agent swallowed no exception of its own');

    // The comparison is only meaningful if the probe really exercised the API.
    const results = native.results;
    assert.equal(results.instance.instanceOf, true);
    assert.equal(results.constructorShape.source, 'function WebSocket() { [native code] }');
    assert.equal(results.badUrl.name, 'SyntaxError');
    assert.equal(results.duplicateProtocols.name, 'SyntaxError');
    assert.equal(results.badCloseCode.name, 'InvalidAccessError');
    assert.equal(results.longReason.name, 'SyntaxError');
    assert.equal(results.sendWhileConnecting.name, 'InvalidStateError');
    assert.equal(results.afterOpen.protocol, 'chat');
    assert.doesNotMatch(JSON.stringify(wrapped.results), /__cw/);
    const closes = results.log.filter((entry) => entry.type === 'close');
    assert.deepEqual(
      closes.map((entry) => entry.code),
      [4001, 4001],
    );
    const messageKinds = results.log.filter((entry) => entry.tag === 'onmessage').map((entry) => entry.dataKind);
    assert.deepEqual(messageKinds, ['[object String]', '[object ArrayBuffer]', '[object Blob]', '[object Blob]', '[object String]']);

    // The wrapped page really was instrumented: its connections were exported.
    const exported = await waitFor(() => exportedSpans(receiver.requests).find((span) => span.attributes['websocket.close.code'] === 4001));
    assert.equal(exported.attributes['websocket.close.reason'], 'app is done');
  });
});
