import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { KNOWN_INTERMEDIARY_TIMEOUTS, matchIntermediaryTimeouts } from '@closewatch/conventions';
import { launchChromium, startNginx, startWsServer, waitFor } from '../harness/index.js';
import { connectFromPage, openAgentPage, pageEventsUntilClose } from './support/agent-page.js';
import { closesTotal, waitForClose } from './support/collector-api.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';
import type { CollectorConfig } from '@closewatch/collector';

const PROXY_READ_TIMEOUT_S = 1;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** Chromium → nginx (proxy_read_timeout 1 s) → ws app, idle until nginx cuts it; returns the joined record. */
async function idleConnectionCutByNginx(t: TestContext, collectorConfig: Partial<CollectorConfig> = {}) {
  const collector = await startPipelineCollector(t, collectorConfig);
  startInProcessAgent(t, collector.url, 'pipeline-proxied-app');
  const app = await startWsServer({ t });
  const nginx = await startNginx({ t, upstreamPort: app.port, proxyReadTimeout: PROXY_READ_TIMEOUT_S });
  const { page } = await openAgentPage(browser, { collectorUrl: collector.url, service: 'pipeline-web', t });

  await connectFromPage(page, `${nginx.wsUrl}/idle`);

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'open' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  const detail = await waitForClose(collector.url, '/idle');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.server?.traceId, detail.client?.traceId, 'the __cw parameter went through nginx');
  assert.equal(detail.client?.attributes['websocket.close.code'], 1006);
  assert.equal(detail.server?.attributes['websocket.close.code'], 1006);
  assert.equal(detail.server?.attributes['websocket.close.was_clean'], false);
  assert.equal(detail.client?.attributes['websocket.close.was_clean'], false);
  const proxyLog = await waitFor(() => /upstream timed out .* while proxying upgraded connection/.test(nginx.logs().error), {
    message: 'nginx timeout log line',
  });
  assert.equal(proxyLog, true);
  return { collector, detail };
}

test('nginx proxy_read_timeout 1s cuts an idle connection: both agents see an abrupt end and the collector joins them', async (t) => {
  const { collector, detail } = await idleConnectionCutByNginx(t);
  // KNOWN_INTERMEDIARY_TIMEOUTS holds the products' defaults (nginx: 60 s, within max(2 s, 3 %)); a
  // proxy_read_timeout of 1 s matches none of them, so without configuration the classifier cannot
  // name the proxy and falls back to connection_lost.
  const idleMs = Number(detail.server?.attributes['websocket.idle_before_close_ms']);
  assert.deepEqual(matchIntermediaryTimeouts(idleMs, 'idle'), [], `server idle ${idleMs} ms matches no known default`);
  assert.ok(KNOWN_INTERMEDIARY_TIMEOUTS.some((timeout) => timeout.id === 'nginx' && timeout.timeoutMs === 60_000));
  assert.equal(detail.outcome?.cause, 'connection_lost');
  assert.match(detail.outcome?.evidence.join('\n') ?? '', /abrupt|without a close|1006/i);
  const counted = await waitFor(() => closesTotal(collector.url, { cause: 'connection_lost', observed_by: 'both' }));
  assert.equal(counted, 1);
});

test('with the proxy timeout configured (proxyTimeouts edge-nginx=1s) the same cut is an intermediary_timeout naming that proxy', async (t) => {
  const { collector, detail } = await idleConnectionCutByNginx(t, { proxyTimeouts: ['edge-nginx=1s'] });
  t.diagnostic(`classified ${detail.outcome?.cause}: ${detail.outcome?.evidence.join(' ')}`);
  assert.equal(detail.outcome?.cause, 'intermediary_timeout');
  assert.match(detail.outcome?.evidence.join('\n') ?? '', /edge-nginx/);
  const counted = await waitFor(() => closesTotal(collector.url, { cause: 'intermediary_timeout', observed_by: 'both' }));
  assert.equal(counted, 1);
});
