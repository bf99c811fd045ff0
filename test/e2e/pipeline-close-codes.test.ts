import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebSocket } from 'ws';
import { closeWithDetail } from '@closewatch/agent-node';
import { ATTR_CLOSE_DETAIL } from '@closewatch/conventions';
import { launchChromium, startWsServer, type CleanupScope } from '../harness/index.js';
import { connectFromPage, openAgentPage, pageEventsUntilClose } from './support/agent-page.js';
import { closesTotal, waitForClose } from './support/collector-api.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

const SESSION_EXPIRED = JSON.stringify({ error: 'session expired', sessionId: 'sess-42', renewAt: '/auth/renew' });

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** The app's answer to the first message: a clean 1000 on /bye, a 4001 with detail on /expire. */
function closeOnFirstMessage(socket: WebSocket, req: IncomingMessage): void {
  const path = new URL(req.url ?? '/', 'http://app.invalid').pathname;
  socket.once('message', function closeAfterRequest() {
    if (path === '/expire') closeWithDetail(socket, 4001, SESSION_EXPIRED);
    else socket.close(1000, 'bye');
  });
}

/** Collector, instrumented app and agent page for one test; the page's socket says hello once open. */
async function startPipeline(t: CleanupScope) {
  const collector = await startPipelineCollector(t);
  startInProcessAgent(t, collector.url, 'pipeline-close-app');
  const app = await startWsServer({ t, onConnection: closeOnFirstMessage });
  // Straight to the app: an in-process upgrade proxy would be instrumented too and take the __cw parameter.
  const { page } = await openAgentPage(browser, { collectorUrl: collector.url, service: 'pipeline-web', t });
  const connect = (path: string) => connectFromPage(page, `${app.url}${path}`, { sendOnOpen: 'hello' });
  return { collector, page, connect };
}

test('a clean 1000 from the app is normal_closure, observed by both agents', async (t) => {
  const { collector, page, connect } = await startPipeline(t);

  await connect('/bye');

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'open' }, { type: 'close', code: 1000, reason: 'bye', wasClean: true }]);
  const detail = await waitForClose(collector.url, '/bye');
  assert.equal(detail.outcome?.cause, 'normal_closure');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.outcome?.code, 1000);
  assert.equal(detail.server?.traceId, detail.client?.traceId);
  assert.equal(detail.server?.attributes['websocket.close.initiator'], 'server');
  assert.equal(await closesTotal(collector.url, { cause: 'normal_closure', code: '1000', observed_by: 'both' }), 1);
});

test('4001 via closeWithDetail is application_close; the full detail is on the server side, the page got it as a message first', async (t) => {
  const { collector, page, connect } = await startPipeline(t);

  await connect('/expire');

  const events = await pageEventsUntilClose(page);
  assert.deepEqual(
    events.map((event) => event.type),
    ['open', 'message', 'close'],
  );
  const [, detailMessage, close] = events;
  assert.deepEqual(JSON.parse(detailMessage?.type === 'message' ? detailMessage.data : '{}'), { type: 'closewatch.close', code: 4001, detail: SESSION_EXPIRED });
  assert.deepEqual(close, { type: 'close', code: 4001, reason: SESSION_EXPIRED, wasClean: true });
  const detail = await waitForClose(collector.url, '/expire');
  assert.equal(detail.outcome?.cause, 'application_close');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.outcome?.code, 4001);
  assert.equal(detail.server?.attributes[ATTR_CLOSE_DETAIL], SESSION_EXPIRED);
  assert.equal(detail.client?.attributes['websocket.close.code'], 4001);
  assert.equal(await closesTotal(collector.url, { cause: 'application_close', code: '4001' }), 1);
});
