import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { spawnNode, tempDatabaseOrSkip, waitFor } from '@closewatch/test/harness';
import { AlertEvaluator } from '../src/alerts/evaluator.js';
import type { WebhookPayload } from '../src/alerts/notifiers/payloads.js';
import { validateRule } from '../src/alerts/validate-rule.js';
import type { Store } from '../src/store/store.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import { ids, incoming, outcome } from './store-fixtures.js';
import { ManualClock, startTestCollector } from './support/test-collector.js';

const MINUTE = 60_000;

/** A real webhook receiver on loopback; records each JSON body. */
async function startWebhook(t: TestContext) {
  const bodies: WebhookPayload[] = [];
  const server = createServer(function webhookOnRequest(req, res) {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as WebhookPayload);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

/** `n` final chat connections ending in the minute before `nowMs`, the first `n1006` of them 1006. */
async function seedCloses(store: Store, prefix: string, nowMs: number, n: number, n1006: number): Promise<void> {
  const connectionIds = ids(prefix, n);
  await store.upsertSides(connectionIds.map((id) => incoming(id, 'server', { startTimeMs: nowMs - 50_000, endTimeMs: nowMs - 30_000 }, null)));
  await store.finalize(
    connectionIds.map((id, index) => ({
      id,
      outcome: outcome({
        startTimeMs: nowMs - 50_000,
        endTimeMs: nowMs - 30_000,
        code: index < n1006 ? 1006 : 1000,
        cause: index < n1006 ? 'intermediary_timeout' : 'normal_closure',
      }),
    })),
    nowMs,
  );
}

function chatRule(targetUrl: string) {
  return validateRule(
    {
      name: 'Chat 1006 rate high',
      filter: { service: 'chat' },
      condition: { kind: 'rate_1006_above', threshold: 10 },
      window: '5m',
      for: '1m',
      minConnections: 20,
      severity: 'critical',
      targets: [{ kind: 'webhook', url: targetUrl }],
    },
    'chat-1006',
  );
}

async function putRule(store: Store, rule: ReturnType<typeof chatRule>, nowMs: number): Promise<void> {
  await store.putAlertRule({ id: rule.id, rule: { ...rule }, createdAtMs: nowMs, updatedAtMs: nowMs });
}

describe('alert evaluator', () => {
  test('a 1006 spike goes pending, fires after `for` with a webhook, and resolves when the window is clean', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0));
    const collector = await startTestCollector(t, {}, clock);
    const { store, metrics } = collector.deps;
    const webhook = await startWebhook(t);
    await putRule(store, chatRule(webhook.url), clock.now());
    await seedCloses(store, 'spike', clock.now(), 100, 30);
    const firing: number[] = [];
    const evaluator = new AlertEvaluator({
      store,
      clock,
      publicUrl: 'http://closewatch.test',
      onFiringChange: (rule, isFiring) => {
        metrics.alertsFiring.set({ rule: rule.name }, isFiring ? 1 : 0);
        firing.push(isFiring ? 1 : 0);
      },
    });

    await evaluator.tick();
    let [state] = await store.listAlertStates();
    assert.equal(state.state, 'pending');
    assert.equal(state.value, 30);

    clock.ms += MINUTE;
    await evaluator.tick();
    await evaluator.idle();
    [state] = await store.listAlertStates();
    assert.equal(state.state, 'firing');
    assert.equal(webhook.bodies.length, 1);
    assert.equal(webhook.bodies[0].status, 'firing');
    assert.equal(webhook.bodies[0].value, 30);
    assert.match(webhook.bodies[0].link, /^http:\/\/closewatch\.test\/#\/overview\?from=\d+&to=\d+&service=chat$/);
    const scrape = await (await fetch(`${collector.url}/metrics`)).text();
    assert.match(scrape, /^closewatch_alerts_firing\{rule="Chat 1006 rate high"\} 1$/m);

    clock.ms += 10 * MINUTE;
    await evaluator.tick();
    await evaluator.idle();
    [state] = await store.listAlertStates();
    assert.equal(state.state, 'resolved');
    assert.equal(webhook.bodies.length, 2);
    assert.equal(webhook.bodies[1].status, 'resolved');
    assert.notEqual(webhook.bodies[1].endsAt, null);
    assert.deepEqual(firing, [0, 1, 0]);

    const history = await store.listAlertHistory('chat-1006', 10);
    assert.deepEqual(history.map((entry) => `${entry.from}->${entry.to}`).sort(), ['firing->resolved', 'inactive->pending', 'pending->firing']);
  });

  test('too few connections never breach (minConnections), whatever their 1006 share', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0));
    const collector = await startTestCollector(t, {}, clock);
    const { store } = collector.deps;
    await putRule(store, chatRule('http://127.0.0.1:9/unused'), clock.now());
    await seedCloses(store, 'few', clock.now(), 10, 9);
    await new AlertEvaluator({ store, clock, publicUrl: 'http://closewatch.test' }).tick();
    const [state] = await store.listAlertStates();
    assert.equal(state.state, 'inactive');
    assert.equal(state.value, 90);
  });

  test('a failing notification target is recorded on the alert and does not stop evaluation', async (t) => {
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0));
    const collector = await startTestCollector(t, {}, clock);
    const { store } = collector.deps;
    const rule = { ...chatRule('http://127.0.0.1:9/nobody-listens'), for: '0s' };
    await putRule(store, rule, clock.now());
    await seedCloses(store, 'fail', clock.now(), 50, 25);
    const evaluator = new AlertEvaluator({
      store,
      clock,
      publicUrl: 'http://closewatch.test',
      delivery: { attempts: 2, baseDelayMs: 5, timeoutMs: 1000 },
    });
    await evaluator.tick();
    await evaluator.idle();
    clock.ms += 30_000;
    await evaluator.tick();
    const [state] = await store.listAlertStates();
    assert.equal(state.state, 'firing');
    assert.equal(state.lastEvaluatedMs, clock.now());
    assert.match(state.lastNotificationError ?? '', /^webhook http:\/\/127\.0\.0\.1:9\/nobody-listens: /);
  });

  test('with two instances on one PostgreSQL only the leader evaluates, and another takes over when it dies', async (t) => {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return;
    const store = new PostgresStore({ connectionString: database.url });
    t.after(() => store.close());
    await store.migrate();
    const clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0));
    await putRule(store, { ...chatRule('http://127.0.0.1:9/unused'), targets: [] }, clock.now());

    const leader = spawnNode(
      ['--import', 'tsx', new URL('./store-child.ts', import.meta.url).pathname, 'lead', 'postgres', database.url, 'closewatch-alert-evaluator'],
      { t },
    );
    await leader.waitForOutput('leader', 30_000);
    const follower = new AlertEvaluator({ store, clock, publicUrl: 'http://closewatch.test' });
    await follower.tick();
    assert.deepEqual(await store.listAlertStates(), [], 'a follower must not evaluate while the leader lives');

    leader.kill('SIGKILL');
    await leader.exited;
    await waitFor(
      async () => {
        await follower.tick();
        return (await store.listAlertStates()).length > 0 ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, message: 'follower took over evaluation' },
    );
    const [state] = await store.listAlertStates();
    assert.equal(state.ruleId, 'chat-1006');
    assert.equal(state.lastEvaluatedMs, clock.now());
  });
});
