import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AgentList, MassDropList } from '@closewatch/conventions';
import { launchChromium, waitFor } from '../harness/index.js';
import { pageEventsUntilClose } from './support/agent-page.js';
import { newDashboardPage, screenshot } from './dashboard-helpers.js';
import { closeDetail, getJson, listCloses, waitForClose, type CloseItem } from './support/collector-api.js';
import { holdFromNode, holdFromPages, nodeCloses, startEchoApp } from './support/held-connections.js';
import { startPipelineCollector } from './support/pipeline-collector.js';

const PAGES = 3;
const NODE_CLIENTS = 3;

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test('a ws server killed with SIGKILL while Chromium pages and Node clients are connected: every client connection is server_gone, naming the instance and the count', async (t) => {
  // A join window long enough for the Node clients' exporter; three connections make a mass drop here.
  const collector = await startPipelineCollector(t, { joinWindowMs: 4_000, massDropMinConnections: 3 });
  const app = await startEchoApp(t, collector.url, 'killed-app');
  const url = `ws://127.0.0.1:${app.port}/live`;

  const clients = await holdFromNode(t, collector.url, url, NODE_CLIENTS);
  // the warm-up connection tells the collector that this instance runs the agent and serves /live
  const warmUp = await waitForClose(collector.url, '/live', { observedBy: 'both', timeoutMs: 30_000 });
  const instance = String(warmUp.server?.resource?.['service.instance.id']);
  assert.match(instance, /^[0-9a-f-]{36}$/, 'the agent names its instance (service.instance.id)');
  const pages = await holdFromPages(t, browser, collector.url, url, PAGES);

  app.process.kill('SIGKILL');

  for (const page of pages) {
    const events = await pageEventsUntilClose(page);
    assert.deepEqual(events.at(-1), { type: 'close', code: 1006, reason: '', wasClean: false });
  }
  await waitFor(() => nodeCloses(clients, 1006) === NODE_CLIENTS, { timeoutMs: 30_000, message: 'the Node clients saw 1006' });

  const connections = PAGES + NODE_CLIENTS;
  let dropped: CloseItem[] = [];
  await waitFor(
    async () => {
      dropped = (await listCloses(collector.url, { route: '/live' })).filter((close) => close.observedBy === 'client');
      return dropped.length === connections;
    },
    { timeoutMs: 60_000, message: `${connections} client-only closes on /live` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; listed ${dropped.map((close) => `${close.service} ${close.cause}`).join(', ')}`);
  });
  for (const close of dropped) {
    const evidence = close.evidence.join('\n');
    t.diagnostic(`${close.service}: ${close.cause} — ${evidence}`);
    assert.equal(close.cause, 'server_gone', evidence);
    assert.equal(close.code, 1006);
    assert.match(evidence, new RegExp(`, ${connections} connections to 127\\.0\\.0\\.1:${app.port}/live ended abruptly`));
    assert.match(evidence, new RegExp(`[Ii]nstance ${instance} of service killed-app \\(serving /live\\) stopped reporting: its last span arrived at \\d{4}-`));
    assert.doesNotMatch(evidence, /install/i, 'the agent is installed; the evidence must not say otherwise');
  }
  const detail = await closeDetail(collector.url, dropped[0].id);
  assert.equal(detail.cause?.id, 'server_gone');
  assert.match(detail.cause?.remediation ?? '', /OOMKilled|137/);

  const { massDrops } = await getJson<MassDropList>(`${collector.url}/api/v1/mass-drops?from=now-1h`);
  assert.equal(massDrops.length, 1, JSON.stringify(massDrops));
  assert.equal(massDrops[0].cause, 'server_gone');
  assert.equal(massDrops[0].instance, instance);
  assert.equal(massDrops[0].service, 'killed-app');
  assert.equal(massDrops[0].connections, connections);
  assert.equal(massDrops[0].route, '/live');

  const { agents } = await getJson<AgentList>(`${collector.url}/api/v1/agents?from=now-1h`);
  const server = agents.find((agent) => agent.side === 'server');
  assert.equal(server?.instance, instance);
  assert.deepEqual(
    server?.routes.map((route) => route.route),
    ['/live'],
  );
  assert.ok(
    agents.some((agent) => agent.side === 'client' && agent.service === 'held-pages'),
    'browser agents are known too',
  );

  // the dashboard: the drop on the overview's timeline, and beside the close on its connection page
  const dashboard = await newDashboardPage(browser);
  t.after(() => dashboard.context().close());
  await dashboard.goto(`${collector.url}/#/overview?from=now-1h`);
  const overviewDrop = await dashboard.waitForSelector('[data-field="mass-drops"] li[data-cause="server_gone"]');
  assert.match(
    (await overviewDrop.textContent()) ?? '',
    new RegExp(`Server gone — ${connections} connections to 127\\.0\\.0\\.1:${app.port}/live dropped within .*instance ${instance} of killed-app went away`),
  );
  await dashboard.waitForSelector('[data-chart="closes-by-cause"] canvas');
  await screenshot(dashboard, 'overview-mass-drop-server-gone');
  await dashboard.goto(`${collector.url}/#/connection/${encodeURIComponent(dropped[0].id)}`);
  const connectionDrop = await dashboard.waitForSelector('[data-field="mass-drops"] li');
  assert.match((await connectionDrop.textContent()) ?? '', /Server gone/);
  await screenshot(dashboard, 'connection-server-gone');
});
