import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, startPrometheus, startWsServer, tempDatabaseOrSkip, waitFor } from '../harness/index.js';
import { connectFromPage, openAgentPage, pageEventsUntilClose } from './support/agent-page.js';
import { closeDetail, closesTotal, listCloses, waitForClose } from './support/collector-api.js';
import { startInProcessAgent } from './support/node-agent.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

async function acceptedSpans(collectorUrl: string): Promise<number> {
  const text = await (await fetch(`${collectorUrl}/metrics`)).text();
  return Number(/^closewatch_ingest_spans_total\{result="accepted"\} (\S+)$/m.exec(text)?.[1] ?? 0);
}

test('two collectors on one PostgreSQL: browser spans reach A, server spans reach B, one joined connection counted once (also in Prometheus)', async (t) => {
  const database = await tempDatabaseOrSkip(t);
  if (!database) return;
  const collectorA = await startPipelineCollector(t, { databaseUrl: database.url });
  const collectorB = await startPipelineCollector(t, { databaseUrl: database.url });
  // Started early: Prometheus applies its scrape targets on a 5 s tick.
  const prometheus = await startPrometheus({ t, scrapeTargets: [collectorA, collectorB].map((collector) => `127.0.0.1:${collector.port}`) });
  startInProcessAgent(t, collectorB.url, 'pipeline-scaled-app');
  const app = await startWsServer({
    t,
    onConnection(socket) {
      socket.once('message', () => socket.close(4002, 'room closed'));
    },
  });
  const { page } = await openAgentPage(browser, { collectorUrl: collectorA.url, service: 'pipeline-web', t });

  await connectFromPage(page, `${app.url}/rooms/42`, { sendOnOpen: 'join' });

  assert.deepEqual((await pageEventsUntilClose(page)).at(-1), { type: 'close', code: 4002, reason: 'room closed', wasClean: true });
  const fromA = await waitForClose(collectorA.url, '/rooms/:id');
  assert.equal(fromA.outcome?.cause, 'application_close');
  assert.equal(fromA.outcome?.observedBy, 'both');
  assert.equal(fromA.client?.service, 'pipeline-web');
  assert.equal(fromA.server?.service, 'pipeline-scaled-app');
  assert.deepEqual(await closeDetail(collectorB.url, fromA.id), fromA, 'both instances serve the same record');
  assert.equal(await acceptedSpans(collectorA.url), 1, 'A ingested the browser span only');
  assert.equal(await acceptedSpans(collectorB.url), 1, 'B ingested the server span only');
  assert.equal((await listCloses(collectorB.url, { route: '/rooms/:id' })).length, 1, 'one connection, not one per side');
  const counted = await waitFor(
    async () => {
      const total = (await closesTotal(collectorA.url, { cause: 'application_close' })) + (await closesTotal(collectorB.url, { cause: 'application_close' }));
      return total > 0 && total;
    },
    { message: 'closewatch_ws_closes_total on A or B' },
  );
  assert.equal(counted, 1);
  assert.equal(
    (await closesTotal(collectorA.url, { cause: 'application_close', observed_by: 'both' })) +
      (await closesTotal(collectorB.url, { cause: 'application_close', observed_by: 'both' })),
    1,
  );
  // What a dashboard over several instances shows: the sum over every instance, once each was scraped after the join.
  const finalizedAtS = (fromA.finalizedAtMs ?? Date.now()) / 1000;
  await prometheus.waitForSeries('count(timestamp(up{job="closewatch"} == 1))', (samples) => samples[0].value === 2);
  await prometheus.waitForSeries('min(timestamp(up{job="closewatch"}))', (samples) => samples[0].value > finalizedAtS);
  const scraped = await prometheus.query('sum(closewatch_ws_closes_total{cause="application_close"})');
  assert.equal(scraped[0]?.value, 1);
});
