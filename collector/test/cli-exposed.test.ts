import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { describe, test, type TestContext } from 'node:test';
import { makeTempDir, waitFor, type ManagedProcess } from '@closewatch/test/harness';
import type { WebhookPayload } from '../src/alerts/notifiers/payloads.js';
import type { AlertRuleList, AlertRuleView, AlertStateList } from '../src/alerts/router.js';
import { CSRF_HEADER } from '../src/api/cross-site.js';
import { ADMIN_TOKEN_HEADER } from '../src/api/require-admin.js';
import type { AlertStateRecord } from '../src/store/store.js';
import { startCollectorProcess } from './support/collector-process.js';
import { fetchJson, jsonOf, type ErrorBody, type JsonAnswer } from './support/json-answer.js';
import { KIND_SERVER, otlpJson, spanId, traceId } from './support/otlp-fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const TOKEN = 'e2e-admin-token';
const WARNING = /^closewatch: warning: .*$/gm;

interface Child {
  process: ManagedProcess;
  /** Reached on loopback whatever it binds. */
  url: string;
}

/** `closewatch start --host <host> --port 0` on a fresh DuckDB directory, alerts evaluated every second. */
async function startChild(t: TestContext, host: string, env: Record<string, string> = {}): Promise<Child> {
  const dir = makeTempDir('cli-exposed');
  t.after(() => dir.remove());
  const child = await startCollectorProcess(['--host', host, '--port', '0', '--data-dir', dir.path], t, { CLOSEWATCH_ALERT_INTERVAL_MS: '1000', ...env });
  const port = /listening on http:\/\/\S+:(\d+) /.exec(child.stderr())![1];
  return { process: child, url: `http://127.0.0.1:${port}` };
}

function rule(name: string, url: string) {
  return { name, condition: { kind: 'cause_count_above', threshold: 0 }, minConnections: 0, targets: [{ kind: 'webhook', url }] };
}

/** POST /api/v1/alerts; the answer's body as `T` (AlertRuleView when created, ErrorBody when refused). */
function createRule<T = unknown>(child: Child, body: unknown, token?: string): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', [CSRF_HEADER]: '1' };
  if (token) headers[ADMIN_TOKEN_HEADER] = token;
  return fetchJson<T>(`${child.url}/api/v1/alerts`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** One connection closed a moment ago, seen by its server only (final at once), so every rule above fires. */
async function ingestOneClose(child: Child): Promise<void> {
  const now = Date.now();
  const body = JSON.stringify(
    otlpJson([
      { traceId: traceId(), spanId: spanId(), kind: KIND_SERVER, startMs: now - 2000, endMs: now - 1000, attributes: { 'websocket.close.code': 1006 } },
    ]),
  );
  const response = await fetch(`${child.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(response.status, 200);
}

async function stateOf(child: Child, ruleId: string): Promise<AlertStateRecord | undefined> {
  const states = await jsonOf<AlertStateList>(await fetch(`${child.url}/api/v1/alerts/states`));
  return states.items.find((state) => state.ruleId === ruleId);
}

/** An address of this machine outside loopback and link-local (a private or documentation range here), if it has one. */
function nonLoopbackAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (!entry.internal && !entry.address.startsWith('fe80:') && !entry.address.startsWith('169.254.')) return entry.address;
    }
  }
  return null;
}

async function receivedFiring(receiver: WebhookReceiver): Promise<WebhookPayload> {
  await waitFor(() => receiver.received.length > 0, { timeoutMs: 20_000, message: 'the webhook receiver got no alert' });
  return JSON.parse(receiver.received[0].body) as WebhookPayload;
}

describe('closewatch start beyond loopback (real child processes)', () => {
  test('without an admin token: it warns what is open, naming each setting, and refuses writes naming CLOSEWATCH_ADMIN_TOKEN', async (t) => {
    const child = await startChild(t, '0.0.0.0');
    const warnings = child.process.stderr().match(WARNING) ?? [];
    assert.equal(warnings.length, 4, child.process.stderr());
    assert.match(warnings[0], /alert rule writes are refused: no admin token is set; set CLOSEWATCH_ADMIN_TOKEN/);
    assert.match(warnings[1], /reads are open to anyone who can reach port \d+ on any address of this machine.*set CLOSEWATCH_READ_REQUIRES_TOKEN=true/);
    assert.match(warnings[2], /ingest takes spans without a key .*; set CLOSEWATCH_INGEST_KEYS$/);
    assert.match(warnings[3], /pages on any origin may send spans.*; set CLOSEWATCH_ALLOWED_ORIGINS/);
    const refused = await createRule<ErrorBody>(child, rule('Any drop', 'http://10.0.0.9:9093/'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'admin_token_not_set');
    assert.match(refused.body.error.message, /Set CLOSEWATCH_ADMIN_TOKEN/);
    assert.deepEqual((await jsonOf<AlertRuleList>(await fetch(`${child.url}/api/v1/alerts`))).items, []);
  });

  test('with a token: refused targets are 400 naming them, a redirect to metadata is not followed and recorded, allowed receivers get the alert', async (t) => {
    const child = await startChild(t, '0.0.0.0', { CLOSEWATCH_ADMIN_TOKEN: TOKEN, CLOSEWATCH_ALERT_TARGET_ALLOWLIST: '127.0.0.2' });
    const warnings = child.process.stderr().match(WARNING) ?? [];
    assert.equal(warnings.length, 3, 'no warning about writes once a token is set');
    assert.ok(!warnings.some((line) => line.includes('CLOSEWATCH_ADMIN_TOKEN to allow')));

    assert.equal((await createRule(child, rule('No token', 'http://10.0.0.9:9093/'))).status, 401);
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://[fe80::1]:9093/', 'http://localhost:9093/', 'http://127.0.0.1:9093/']) {
      const answer = await createRule<ErrorBody>(child, rule('Refused', url), TOKEN);
      assert.equal(answer.status, 400, url);
      assert.equal(answer.body.error.code, 'invalid_rule');
      assert.ok(answer.body.error.message.startsWith(`targets[0].url ${url} is refused: `), answer.body.error.message);
    }
    assert.match(
      (await createRule<ErrorBody>(child, rule('Refused', 'http://localhost:9093/'), TOKEN)).body.error.message,
      /localhost resolves to .* loopback address/,
    );

    const allowed = await startWebhookReceiver(t, { host: '127.0.0.2' });
    const redirecting = await startWebhookReceiver(t, {
      host: '127.0.0.2',
      answer: () => ({ status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/iam/' } }),
    });
    const secretive = await startWebhookReceiver(t, { host: '127.0.0.2', answer: () => ({ status: 400, body: 'SECRET-TARGET-BODY' }) });
    const address = nonLoopbackAddress();
    const privateReceiver = address === null ? null : await startWebhookReceiver(t, { host: address });
    const ids: Record<string, string> = {};
    for (const [name, receiver] of Object.entries({ allowed, redirecting, secretive, ...(privateReceiver ? { private: privateReceiver } : {}) })) {
      const created = await createRule<AlertRuleView>(child, rule(name, receiver.url), TOKEN);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids[name] = created.body.id;
    }

    await ingestOneClose(child);
    assert.equal((await receivedFiring(allowed)).status, 'firing');
    if (privateReceiver) assert.equal((await receivedFiring(privateReceiver)).rule.id, ids.private);
    else t.diagnostic('this machine has no address outside loopback: the private-address receiver was not tried');

    await waitFor(async () => (await stateOf(child, ids.redirecting))?.lastNotificationError, {
      timeoutMs: 20_000,
      message: 'no failure recorded for the redirect',
    });
    const redirectFailure = (await stateOf(child, ids.redirecting))?.lastNotificationError ?? '';
    assert.match(redirectFailure, /: redirected to http:\/\/169\.254\.169\.254: 169\.254\.169\.254 is a link-local address.*\(not sent\)$/);
    assert.equal(redirecting.received.length, 1, 'the redirect itself was asked once and not retried');

    await waitFor(async () => (await stateOf(child, ids.secretive))?.lastNotificationError, { timeoutMs: 20_000, message: 'no failure recorded for the 400' });
    assert.match((await stateOf(child, ids.secretive))?.lastNotificationError ?? '', /answered 400$/);
    for (const path of ['/api/v1/alerts', '/api/v1/alerts/states', `/api/v1/alerts/${ids.secretive}`]) {
      assert.ok(!(await (await fetch(`${child.url}${path}`)).text()).includes('SECRET-TARGET-BODY'), path);
    }
  });

  test('on loopback nothing changes: no warnings, writes without a token, loopback receivers get alerts', async (t) => {
    const child = await startChild(t, '127.0.0.1');
    assert.equal(child.process.stderr().match(WARNING), null);
    const receiver = await startWebhookReceiver(t);
    const created = await createRule<AlertRuleView>(child, rule('Any drop', `http://localhost:${new URL(receiver.url).port}/hook`));
    assert.equal(created.status, 201);
    await ingestOneClose(child);
    assert.equal((await receivedFiring(receiver)).rule.id, created.body.id);
  });
});
