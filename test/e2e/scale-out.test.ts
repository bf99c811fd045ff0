import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import {
  connectPostgres,
  createTempDatabase,
  launchChromium,
  openPage,
  serveStatic,
  startPrometheus,
  waitFor,
  type CleanupScope,
  type PrometheusHandle,
} from '../harness/index.js';
import { CSRF_HEADER } from '../../collector/src/api/cross-site.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../collector/test/support/webhook-receiver.js';
import { startCollectorFleet, type CollectorFleet, type FleetInstance } from './support/collector-fleet.js';
import { closesTotal } from './support/collector-api.js';
import { CAUSE_BY_PATH, countsPerCause, countsPerPath, fleetPageHtml, FLEET_PATHS, type PathCounts } from './support/fleet-plan.js';
import { runFleetClients, sortedCounts, startFleetApp, storedByCause, storedSpanIds, totalOf } from './support/fleet-load.js';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.js';

const CAUSES = FLEET_PATHS.map((path) => CAUSE_BY_PATH[path]);

/** Cleanups of the suite's shared fleet, run after its last test in reverse order. */
const suiteScope = (() => {
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return { after: (fn: () => unknown) => void cleanups.push(fn) } satisfies CleanupScope;
})();

function runPage(page: Page, appWsUrl: string, counts: PathCounts, concurrency: number): Promise<PathCounts> {
  return page.evaluate(
    ([url, plan, lanes]) => (window as unknown as { runPlan(u: string, c: PathCounts, n: number): Promise<PathCounts> }).runPlan(url, plan, lanes),
    [appWsUrl, counts, concurrency] as const,
  );
}

async function metricOf(instance: FleetInstance, name: string): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

async function sumOverInstances(instances: FleetInstance[], labels: Record<string, string>): Promise<number> {
  const totals = await Promise.all(instances.map((instance) => closesTotal(instance.url, labels)));
  return totals.reduce((a, b) => a + b, 0);
}

async function perCauseOverInstances(instances: FleetInstance[], service: string): Promise<Record<string, number>> {
  const byCause: Record<string, number> = {};
  for (const cause of CAUSES) byCause[cause] = await sumOverInstances(instances, { service, cause });
  return byCause;
}

async function createRule(balancerUrl: string, name: string, webhookUrl: string): Promise<string> {
  const response = await fetch(`${balancerUrl}/api/v1/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ name, condition: { kind: 'cause_count_above', threshold: 0 }, minConnections: 0, targets: [{ kind: 'webhook', url: webhookUrl }] }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

function firingFor(receiver: WebhookReceiver, ruleId: string): boolean {
  return receiver.received.some((request) => {
    const body = JSON.parse(request.body) as { status: string; rule: { id: string } };
    return body.status === 'firing' && body.rule.id === ruleId;
  });
}

async function leaderOf(instances: FleetInstance[]): Promise<FleetInstance | undefined> {
  for (const instance of instances) {
    if ((await metricOf(instance, 'closewatch_alerts_leader').catch(() => 0)) === 1) return instance;
  }
  return undefined;
}

describe('three collectors on one PostgreSQL behind nginx, under load from Node agents and Chromium pages', () => {
  let db: pg.Client | null = null;
  let fleet: CollectorFleet;
  let proxy: RecordingProxy;
  let prometheus: PrometheusHandle;
  let browser: Browser;
  let appWsUrl: string;
  let pageOrigin: string;

  before(async () => {
    db = await connectPostgres();
    if (!db) {
      if (process.env.CI) throw new Error('PostgreSQL unreachable (CI is set, so this suite fails instead of skipping)');
      return;
    }
    await db.end();
    const database = await createTempDatabase({ t: suiteScope });
    // The balancer does not retry a request an instance failed (like a Kubernetes Service): the agents must.
    fleet = await startCollectorFleet(suiteScope, database.url, 3, { balancerConfig: 'proxy_next_upstream off;' });
    proxy = await startRecordingProxy(suiteScope, fleet.balancer.url);
    // Started early: Prometheus applies its scrape targets on a 5 s tick.
    prometheus = await startPrometheus({ t: suiteScope, scrapeTargets: fleet.instances.map((instance) => `127.0.0.1:${instance.port}`) });
    appWsUrl = await startFleetApp(suiteScope, proxy.url);
    browser = await launchChromium({ t: suiteScope });
    const agentUrl = `${fleet.balancer.url}/agent.js`;
    const site = await serveStatic(
      { '/counting': { body: fleetPageHtml(agentUrl, proxy.url, 'fleet-page') }, '/kill': { body: fleetPageHtml(agentUrl, proxy.url, 'fleet-page-kill') } },
      { t: suiteScope },
    );
    pageOrigin = site.url;
    db = await connectPostgres(database.name);
    suiteScope.after(() => db?.end());
  });

  test('for every cause, the sum over the instances (and in Prometheus) equals the connections made; every acknowledged span is stored', async (t) => {
    if (!db) return t.skip('PostgreSQL unreachable');
    const page = await openPage(browser, `${pageOrigin}/counting`, { t });
    const [fromNode, fromPage] = await Promise.all([
      runFleetClients(t, proxy.url, appWsUrl, 'fleet-clients', { counts: countsPerPath(20), concurrency: 8 }),
      runPage(page, appWsUrl, countsPerPath(3), 3),
    ]);
    const expected = countsPerCause(fromNode, fromPage);
    assert.equal(totalOf(expected), 5 * 23, 'every planned connection ended');
    const services = ['fleet-clients', 'fleet-page'];
    const counted = async () => {
      const byCause: Record<string, number> = {};
      for (const service of services) {
        for (const [cause, n] of Object.entries(await perCauseOverInstances(fleet.instances, service))) byCause[cause] = (byCause[cause] ?? 0) + n;
      }
      return byCause;
    };
    await waitFor(async () => JSON.stringify(await counted()) === JSON.stringify(expected), {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'closewatch_ws_closes_total per cause, summed over the instances',
    }).catch(async (error: Error) => assert.fail(`${error.message}: counted ${JSON.stringify(await counted())}, made ${JSON.stringify(expected)}`));
    const both = await Promise.all(services.map((service) => sumOverInstances(fleet.instances, { service, observed_by: 'both' })));
    assert.equal(
      both.reduce((a, b) => a + b, 0),
      totalOf(expected),
      'every connection joined from both sides',
    );
    for (const instance of fleet.instances) {
      assert.ok((await metricOf(instance, 'closewatch_ingest_spans_total{result="accepted"}')) > 0, `${instance.name} took part of the load`);
    }
    for (const cause of CAUSES) {
      await prometheus.waitForSeries(
        `sum(closewatch_ws_closes_total{cause="${cause}",service=~"fleet-clients|fleet-page"})`,
        (samples) => samples[0].value === expected[cause],
        30_000,
      );
    }
    const stored = await storedSpanIds(db);
    const missing = [...proxy.acknowledged()].filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], 'every span acknowledged with a 2xx is stored');
  });

  test('SIGKILL of the alert leader mid-load: acknowledged spans are stored, the agents retry the rest, and leadership moves to a survivor', async (t) => {
    if (!db) return t.skip('PostgreSQL unreachable');
    const webhook = await startWebhookReceiver(t);
    const firstRule = await createRule(fleet.balancer.url, 'Any close (before the kill)', webhook.url);
    await waitFor(() => firingFor(webhook, firstRule), { timeoutMs: 20_000, message: 'the first rule fired' });
    const leader = await waitFor(() => leaderOf(fleet.instances), { timeoutMs: 10_000, message: 'an alert leader' });
    const survivors = fleet.instances.filter((instance) => instance !== leader);
    const page = await openPage(browser, `${pageOrigin}/kill`, { t });
    const attemptsBefore = proxy.attempts.length;

    const load = Promise.all([
      runFleetClients(t, proxy.url, appWsUrl, 'fleet-clients-kill', { counts: countsPerPath(1), concurrency: 6, durationMs: 8_000 }),
      runPage(page, appWsUrl, countsPerPath(4), 2),
    ]);
    await waitFor(() => proxy.attempts.length - attemptsBefore >= 10, { timeoutMs: 60_000, message: 'load under way' });
    leader.process.kill('SIGKILL');
    const killedAtMs = Date.now();
    const [fromNode, fromPage] = await load;
    const made = { node: countsPerCause(fromNode), page: countsPerCause(fromPage) };

    const newLeader = await waitFor(() => leaderOf(survivors), { timeoutMs: 15_000, message: 'a survivor took the alert leadership' });
    const secondRule = await createRule(fleet.balancer.url, 'Any close (after the kill)', webhook.url);
    await waitFor(() => firingFor(webhook, secondRule), { timeoutMs: 20_000, message: 'the rule created after the kill fired (the new leader notifies)' });
    await prometheus.waitForSeries(
      'closewatch_alerts_leader == 1',
      (samples) => samples.length === 1 && samples[0].metric.instance === `127.0.0.1:${newLeader.port}` && samples[0].timestamp * 1000 > killedAtMs,
    );
    await prometheus.waitForSeries(`up{instance="127.0.0.1:${leader.port}"} == 0`);

    const storedKill = async () => ({ node: await storedByCause(db!, 'fleet-clients-kill'), page: await storedByCause(db!, 'fleet-page-kill') });
    const expected = JSON.stringify({ node: sortedCounts(made.node), page: sortedCounts(made.page) });
    await waitFor(async () => JSON.stringify(await storedKill()) === expected, {
      timeoutMs: 60_000,
      intervalMs: 500,
      message: 'every connection made stored, final, with both sides',
    }).catch(async (error: Error) => assert.fail(`${error.message}: stored ${JSON.stringify(await storedKill())}, made ${expected}`));

    const attempts = proxy.attempts.slice(attemptsBefore);
    const acknowledged = proxy.acknowledged();
    const failed = attempts.filter((attempt) => attempt.status < 200 || attempt.status >= 300);
    const retried = new Set(failed.flatMap((attempt) => attempt.spanIds));
    const stored = await storedSpanIds(db);
    assert.deepEqual(
      [...acknowledged].filter((id) => !stored.has(id)),
      [],
      'every span acknowledged with a 2xx is stored',
    );
    assert.ok(failed.length > 0, 'the kill failed some exports (the balancer does not retry)');
    assert.deepEqual(
      [...retried].filter((id) => !acknowledged.has(id)),
      [],
      'every span of a failed export was delivered by a retry',
    );
    t.diagnostic(
      `exports after the kill's start: ${attempts.length}, failed ${failed.length} (${[...new Set(failed.map((a) => a.status))].join(', ')}); spans of failed exports ${retried.size}, all delivered by retries; ` +
        `connections made: ${totalOf(made.node)} by Node clients, ${totalOf(made.page)} by the page; leader ${leader.name} → ${newLeader.name}`,
    );
    for (const survivor of survivors) assert.equal(await metricOf(survivor, 'closewatch_join_pending'), 0, `${survivor.name}: nothing left pending`);
  });
});
