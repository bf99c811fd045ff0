import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { CAUSES } from '@closewatch/conventions';
import { launchChromium, spawnNode, waitFor } from '../harness/index.js';
import { connectFromPage, openAgentPage, pageEventsUntilClose } from './support/agent-page.js';
import { closesTotal, waitForClose } from './support/collector-api.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const AUTH_APP = fileURLToPath(new URL('./support/apps/auth-app.mjs', import.meta.url));

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test('a 401 from verifyClient in an app run with --import register: the page sees only 1006, the collector shows handshake_auth_rejected seen by both agents', async (t) => {
  const collector = await startPipelineCollector(t);
  const app = spawnNode(['--import', '@closewatch/agent-node/register', AUTH_APP], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: collector.url, OTEL_SERVICE_NAME: 'pipeline-auth-app', OTEL_BSP_SCHEDULE_DELAY: '100' },
  });
  await app.waitForOutput(/listening \d+/, 15_000);
  const appPort = Number(/listening (\d+)/.exec(app.stdout())?.[1]);
  const { page, origin } = await openAgentPage(browser, { collectorUrl: collector.url, service: 'pipeline-web', upgradeTo: appPort, t });

  await connectFromPage(page, `${origin.replace(/^http/, 'ws')}/live?token=expired`);

  assert.deepEqual(await pageEventsUntilClose(page), [{ type: 'error' }, { type: 'close', code: 1006, reason: '', wasClean: false }]);
  const detail = await waitForClose(collector.url, '/live');
  assert.equal(detail.outcome?.cause, 'handshake_auth_rejected');
  assert.equal(detail.outcome?.observedBy, 'both');
  assert.equal(detail.outcome?.phase, 'handshake');
  assert.ok(detail.client && detail.server, 'both sides are stored');
  assert.equal(detail.client.traceId, detail.traceId);
  assert.equal(detail.server.traceId, detail.traceId, 'the server span joined the browser span through the __cw parameter');
  assert.equal(detail.client.service, 'pipeline-web');
  assert.equal(detail.server.service, 'pipeline-auth-app');
  assert.equal(detail.server.attributes['http.response.status_code'], 401);
  assert.match(detail.outcome.evidence.join('\n'), /401/);
  assert.equal(detail.cause?.remediation, CAUSES.handshake_auth_rejected.remediation);
  const counted = await waitFor(() => closesTotal(collector.url, { cause: 'handshake_auth_rejected', observed_by: 'both' }), {
    message: 'closewatch_ws_closes_total{cause="handshake_auth_rejected"}',
  });
  assert.equal(counted, 1);
  assert.equal(await closesTotal(collector.url, { cause: 'handshake_auth_rejected' }), 1, 'one connection, counted once');
});
