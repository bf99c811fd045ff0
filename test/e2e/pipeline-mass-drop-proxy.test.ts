import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { MassDropList } from '@closewatch/conventions';
import { launchChromium, startNginx, waitFor } from '../harness/index.js';
import { pageEventsUntilClose } from './support/agent-page.js';
import { getJson, listCloses, type CloseItem } from './support/collector-api.js';
import { holdFromNode, holdFromPages, nodeCloses, startEchoApp } from './support/held-connections.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

const PAGES = 3;
const NODE_CLIENTS = 3;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test('nginx in front stops and drops every connection at once while the ws server keeps running: intermediary_dropped, naming the instance and the count', async (t) => {
  const collector = await startPipelineCollector(t, { joinWindowMs: 4_000, massDropMinConnections: 3 });
  const app = await startEchoApp(t, collector.url, 'proxied-app');
  const nginx = await startNginx({ t, upstreamPort: app.port });
  const url = `${nginx.wsUrl}/live`;
  const clients = await holdFromNode(t, collector.url, url, NODE_CLIENTS);
  const pages = await holdFromPages(t, browser, collector.url, url, PAGES);

  // nginx's fast shutdown (SIGTERM) closes every client and upstream socket without a close frame
  await nginx.close();

  for (const page of pages) {
    const events = await pageEventsUntilClose(page);
    assert.deepEqual(events.at(-1), { type: 'close', code: 1006, reason: '', wasClean: false });
  }
  await waitFor(() => nodeCloses(clients, 1006) === NODE_CLIENTS, { timeoutMs: 30_000, message: 'the Node clients saw 1006' });
  assert.equal(app.process.isRunning(), true, 'the server kept running');

  const connections = PAGES + NODE_CLIENTS;
  let dropped: CloseItem[] = [];
  await waitFor(
    async () => {
      dropped = (await listCloses(collector.url, { route: '/live' })).filter((close) => close.observedBy === 'both' && close.code === 1006);
      return dropped.length === connections;
    },
    { timeoutMs: 60_000, message: `${connections} joined 1006 closes on /live` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; listed ${dropped.map((close) => `${close.service} ${close.cause}`).join(', ')}`);
  });
  const instanceIds = new Set<string>();
  for (const close of dropped) {
    const evidence = close.evidence.join('\n');
    t.diagnostic(`${close.service}: ${close.cause} — ${evidence}`);
    assert.equal(close.cause, 'intermediary_dropped', evidence);
    const match = /(\d+) connections of instance (\S+) of service proxied-app on \/live ended abruptly/.exec(evidence);
    assert.ok(match, evidence);
    assert.ok(Number(match[1]) >= 3, `a group of at least the minimum: ${evidence}`);
    instanceIds.add(match[2]);
    assert.match(evidence, /the server kept running and reported these ends itself/i);
    assert.doesNotMatch(evidence, /install/i);
  }
  assert.equal(instanceIds.size, 1, 'one server instance');

  const { massDrops } = await getJson<MassDropList>(`${collector.url}/api/v1/mass-drops?from=now-1h&cause=intermediary_dropped`);
  assert.equal(massDrops.length, 1, JSON.stringify(massDrops));
  assert.equal(massDrops[0].instance, [...instanceIds][0]);
  assert.equal(massDrops[0].route, '/live');
  assert.equal(massDrops[0].connections, connections);
});
