import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebSocket } from 'ws';
import { launchChromium, startWsServer, waitFor, type CleanupScope } from '../harness/index.js';
import { connectFromPage, openAgentPage, pageEventsUntilClose, type ConnectOptions } from './support/agent-page.js';
import { closesTotal, waitForClose } from './support/collector-api.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

const MAX_PAYLOAD_BYTES = 64 * 1024;
const CHAT_PROTOCOL = 'chat.v2';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** /chat speaks chat.v2 only: false completes the upgrade without a subprotocol, which the browser then fails. */
function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(CHAT_PROTOCOL) ? CHAT_PROTOCOL : false;
}

/** /crash drops the connection on the first message, as an app does after a handler error. */
function terminateOnCrash(socket: WebSocket, req: IncomingMessage): void {
  // ws reports an oversized message as an error event before closing with 1009.
  socket.on('error', function ignoreRejectedFrame() {});
  if (req.url?.startsWith('/crash')) socket.once('message', () => socket.terminate());
}

async function startPipeline(t: CleanupScope) {
  const collector = await startPipelineCollector(t);
  startInProcessAgent(t, collector.url, 'pipeline-server-app');
  const app = await startWsServer({ t, maxPayload: MAX_PAYLOAD_BYTES, handleProtocols: chooseProtocol, onConnection: terminateOnCrash });
  const { page } = await openAgentPage(browser, { collectorUrl: collector.url, service: 'pipeline-web', t });
  const connect = (path: string, options: ConnectOptions) => connectFromPage(page, `${app.url}${path}`, options);
  return { collector, page, connect };
}

test('a subprotocol the server does not speak: the page sees error + 1006, the collector says handshake_subprotocol_mismatch', async (t) => {
  const { collector, page, connect } = await startPipeline(t);

  await connect('/chat', { protocols: ['chat.v1'] });

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'error' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  const detail = await waitForClose(collector.url, '/chat');
  assert.equal(detail.outcome?.cause, 'handshake_subprotocol_mismatch');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.outcome?.phase, 'handshake');
  assert.deepEqual(detail.client?.attributes['websocket.subprotocols.requested'], ['chat.v1']);
  assert.equal(detail.server?.attributes['websocket.subprotocol'], '');
});

test('the server terminates after a message: the page sees 1006, the collector says server_terminated', async (t) => {
  const { collector, page, connect } = await startPipeline(t);

  await connect('/crash', { protocols: [CHAT_PROTOCOL], sendOnOpen: 'hello' });

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'open' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  const detail = await waitForClose(collector.url, '/crash');
  assert.equal(detail.outcome?.cause, 'server_terminated');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.server?.attributes['websocket.termination'], 'terminate');
  assert.equal(detail.server?.attributes['websocket.close.initiator'], 'server');
});

test('a message over maxPayload: the server closes with 1009, the collector says server_rejected_frame', async (t) => {
  const { collector, page, connect } = await startPipeline(t);

  await connect('/upload', { protocols: [CHAT_PROTOCOL], sendOnOpen: 'x'.repeat(MAX_PAYLOAD_BYTES * 2) });

  assert.deepEqual((await pageEventsUntilClose(page)).at(-1), { type: 'close', code: 1009, reason: '', wasClean: true });
  const detail = await waitForClose(collector.url, '/upload');
  assert.equal(detail.outcome?.cause, 'server_rejected_frame');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.outcome?.code, 1009);
  // ws stops reading after the oversized frame, so its own close event never sees the browser's reply.
  assert.equal(detail.server?.attributes['websocket.close.code'], 1006);
  assert.equal(detail.server?.attributes['error.type'], 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
  assert.match(detail.outcome?.evidence.join('\n') ?? '', /WS_ERR_UNSUPPORTED_MESSAGE_LENGTH/);
  const counted = await waitFor(() => closesTotal(collector.url, { cause: 'server_rejected_frame', code: '1009' }));
  assert.equal(counted, 1);
});
