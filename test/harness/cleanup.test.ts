import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startOtlpReceiver } from './otlp-receiver.js';
import { serveStatic } from './static-server.js';
import { startWsServer, type WsServerHandle } from './ws-server.js';

test('helpers given a bare test context, or { t }, close when that test ends', async (t) => {
  let wsServer: WsServerHandle | undefined;
  let pageUrl = '';
  let receiverUrl = '';
  await t.test('inner test that starts servers and forgets them', async (inner) => {
    wsServer = await startWsServer(inner);
    pageUrl = (await serveStatic({ '/': { body: 'hi' } }, { t: inner })).url;
    receiverUrl = (await startOtlpReceiver(inner)).url;
    assert.equal((await fetch(pageUrl)).status, 200);
  });
  assert.equal(wsServer?.server.listening, false);
  await assert.rejects(fetch(pageUrl));
  await assert.rejects(fetch(receiverUrl, { method: 'POST', body: '{}' }));
});
