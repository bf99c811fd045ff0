import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, waitFor } from '../harness/index.js';
import { closeDetail, closesTotal } from './support/collector-api.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

/** service.name the Setup page's test connection reports under (dashboard/src/pages/test-connection.ts). */
const SETUP_TEST_SERVICE = 'closewatch-setup-test';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test("the Setup page's test connection goes through /agent.js, ingest and join into a record the API and /metrics show", async (t) => {
  const collector = await startPipelineCollector(t);
  const page = await openPage(browser, `${collector.url}/#/setup`, { t });

  await page.click('#send-test-connection');

  const link = page.locator('.test-connection a');
  await link.waitFor({ timeout: 30_000 });
  const id = decodeURIComponent(/#\/connection\/([^?]+)/.exec((await link.getAttribute('href')) ?? '')?.[1] ?? '');
  const detail = await closeDetail(collector.url, id);
  assert.equal(detail.final, true);
  assert.equal(detail.outcome?.cause, 'normal_closure');
  assert.equal(detail.outcome?.code, 1000);
  assert.equal(detail.outcome?.route, '/api/v1/test-socket');
  assert.equal(detail.client?.service, SETUP_TEST_SERVICE);
  assert.equal(detail.outcome?.observedBy, 'both', 'the test socket reports its own server side through ingest');
  assert.equal(detail.server?.traceId, detail.client?.traceId);
  assert.equal(detail.client?.attributes['websocket.messages.received'], 1, 'the echo came back');
  const counted = await waitFor(() => closesTotal(collector.url, { service: SETUP_TEST_SERVICE, cause: 'normal_closure' }));
  assert.equal(counted, 1);
});
