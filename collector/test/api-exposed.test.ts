import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { PublicConfig } from '@closewatch/conventions';
import { AlertEvaluator } from '../src/alerts/evaluator.js';
import type { AlertRuleView } from '../src/alerts/router.js';
import { alertTargetPolicy } from '../src/alerts/targets/target-policy.js';
import { validateRule } from '../src/alerts/validate-rule.js';
import { CSRF_HEADER } from '../src/api/cross-site.js';
import { ADMIN_TOKEN_HEADER } from '../src/api/require-admin.js';
import type { CollectorConfig } from '../src/config.js';
import { ids, incoming, outcome } from './store-fixtures.js';
import { jsonOf, type ErrorBody, type JsonAnswer } from './support/json-answer.js';
import { fakeLookup } from './support/fake-lookup.js';
import { startTestCollector, type TestCollector } from './support/test-collector.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const TOKEN = 'exposed-collector-token';
const lookup = fakeLookup({ 'metadata.internal.test': '169.254.169.254', 'am.monitoring.test': '10.1.2.3' });

/** createApp configured as if it listened on `host` (it listens on loopback), with the test's resolver. */
function collectorOn(t: TestContext, host: string, overrides: Partial<CollectorConfig> = {}): Promise<TestCollector> {
  const config = { host, alertTargetAllowlist: [], ...overrides };
  return startTestCollector(t, config, undefined, alertTargetPolicy(config, lookup));
}

function rule(url: string) {
  return { name: 'Chat drops', condition: { kind: 'cause_count_above', threshold: 0 }, minConnections: 0, targets: [{ kind: 'webhook', url }] };
}

/** An API write; the answer's body as `T` (null when empty). */
async function write<T = unknown>(collector: TestCollector, method: string, path: string, body: unknown, token?: string): Promise<JsonAnswer<T | null>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
  if (token) headers[ADMIN_TOKEN_HEADER] = token;
  const response = await fetch(`${collector.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as T) : null };
}

describe('a collector listening beyond loopback', () => {
  test('without an admin token refuses every write, naming CLOSEWATCH_ADMIN_TOKEN; reads and ingest stay open', async (t) => {
    const collector = await collectorOn(t, '0.0.0.0');
    await collector.deps.store.putAlertRule({
      id: 'existing',
      rule: { ...validateRule(rule('http://10.1.2.3/'), 'existing') },
      createdAtMs: 1,
      updatedAtMs: 1,
    });
    for (const [method, path] of [
      ['POST', '/alerts'],
      ['PUT', '/alerts/existing'],
      ['DELETE', '/alerts/existing'],
    ] as const) {
      const answer = await write<ErrorBody>(collector, method, path, method === 'DELETE' ? undefined : rule('http://10.1.2.3/'));
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.body!.error.code, 'admin_token_not_set');
      assert.match(answer.body!.error.message, /listens on 0\.0\.0\.0, beyond loopback, and has no admin token\. Set CLOSEWATCH_ADMIN_TOKEN/);
    }
    assert.deepEqual(
      (await collector.deps.store.listAlertRules()).map((record) => record.id),
      ['existing'],
    );
    const config = await jsonOf<PublicConfig>(await fetch(`${collector.url}/api/v1/config/public`));
    assert.equal(config.writesRefused, true);
    assert.equal((await fetch(`${collector.url}/api/v1/alerts`)).status, 200);
    const ingest = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    assert.equal(ingest.status, 200);
  });

  test('with the token, writes work; targets at metadata, link-local or loopback addresses are 400 invalid_rule naming the target', async (t) => {
    const collector = await collectorOn(t, '192.0.2.2', { adminToken: TOKEN });
    assert.equal((await write(collector, 'POST', '/alerts', rule('http://10.1.2.3:9093/'))).status, 401, 'the token is still required');
    const created = await write<AlertRuleView>(collector, 'POST', '/alerts', rule('http://am.monitoring.test:9093/'), TOKEN);
    assert.equal(created.status, 201);
    const refused = {
      'http://169.254.169.254/latest/meta-data':
        /^targets\[0\]\.url http:\/\/169\.254\.169\.254\/latest\/meta-data is refused: 169\.254\.169\.254 is a link-local address/,
      'http://[fe80::1]:9093/': /^targets\[0\]\.url http:\/\/\[fe80::1\]:9093\/ is refused: fe80::1 is a link-local address/,
      'http://[fd00:ec2::254]/': /is refused: fd00:ec2::254 is a cloud metadata address/,
      'http://metadata.internal.test/':
        /^targets\[0\]\.url http:\/\/metadata\.internal\.test\/ is refused: metadata\.internal\.test resolves to 169\.254\.169\.254/,
      'http://localhost:9093/':
        /is refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address, refused while the collector listens beyond loopback/,
      'http://127.0.0.1:9093/': /is refused: 127\.0\.0\.1 is a loopback address/,
    };
    for (const [url, message] of Object.entries(refused)) {
      const answer = await write<ErrorBody>(collector, 'POST', '/alerts', rule(url), TOKEN);
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body!.error.code, 'invalid_rule', url);
      assert.match(answer.body!.error.message, message);
    }
    const id = created.body!.id;
    const replaced = await write(collector, 'PUT', `/alerts/${id}`, rule('http://169.254.169.254/'), TOKEN);
    assert.equal(replaced.status, 400);
    assert.deepEqual((await collector.deps.store.getAlertRule(id))!.rule.targets, [{ kind: 'webhook', url: 'http://am.monitoring.test:9093/' }]);
    assert.equal((await collector.deps.store.listAlertRules()).length, 1);
  });

  test('an allowlisted loopback address is accepted', async (t) => {
    const collector = await collectorOn(t, '0.0.0.0', { adminToken: TOKEN, alertTargetAllowlist: ['127.0.0.1'] });
    assert.equal((await write(collector, 'POST', '/alerts', rule('http://127.0.0.1:9093/'), TOKEN)).status, 201);
    assert.equal((await write(collector, 'POST', '/alerts', rule('http://[::1]:9093/'), TOKEN)).status, 400);
  });
});

describe('a collector on loopback keeps the easy path', () => {
  test('writes need no token and loopback targets are fine; metadata addresses are still refused', async (t) => {
    const collector = await collectorOn(t, '127.0.0.1');
    assert.equal((await write(collector, 'POST', '/alerts', rule('http://localhost:9093/'))).status, 201);
    const answer = await write<ErrorBody>(collector, 'POST', '/alerts', rule('http://169.254.169.254/'));
    assert.equal(answer.status, 400);
    assert.equal(answer.body!.error.code, 'invalid_rule');
    const config = await jsonOf<PublicConfig>(await fetch(`${collector.url}/api/v1/config/public`));
    assert.equal(config.writesRefused, false);
  });
});

test('a target whose name rebinds to loopback after the rule was saved is not sent to, and the failure is on the alert', async (t) => {
  const receiver = await startWebhookReceiver(t);
  let answer = '192.0.2.10';
  const rebinding = fakeLookup({ 'hooks.rebind.test': () => answer });
  const config = { host: '0.0.0.0', adminToken: TOKEN, alertTargetAllowlist: [] };
  const policy = alertTargetPolicy(config, rebinding);
  const collector = await startTestCollector(t, config, undefined, policy);
  const url = `http://hooks.rebind.test:${new URL(receiver.url).port}/hook`;
  assert.equal((await write(collector, 'POST', '/alerts', rule(url), TOKEN)).status, 201);
  answer = '127.0.0.1';
  const { store } = collector.deps;
  const now = Date.now();
  const [id] = ids('rebind', 1);
  await store.upsertSides([incoming(id, 'server', { startTimeMs: now - 50_000, endTimeMs: now - 30_000 }, null)]);
  await store.finalize([{ id: id, outcome: outcome({ startTimeMs: now - 50_000, endTimeMs: now - 30_000 }) }], now);
  const evaluator = new AlertEvaluator({ store, clock: { now: () => Date.now() }, publicUrl: 'http://closewatch.test', targetPolicy: policy });
  await evaluator.tick();
  await evaluator.idle();
  await evaluator.tick();
  const [state] = await store.listAlertStates();
  assert.equal(state.state, 'firing');
  assert.match(
    state.lastNotificationError ?? '',
    /^webhook http:\/\/hooks\.rebind\.test:\d+\/hook: hooks\.rebind\.test resolves to 127\.0\.0\.1 is a loopback address.*\(not sent\)$/,
  );
  assert.equal(receiver.received.length, 0);
});
