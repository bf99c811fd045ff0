import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { startAlertmanager, waitFor } from '@closewatch/test/harness';
import { deliverNotice } from '../src/alerts/notifiers/deliver.js';
import type { AlertNotice } from '../src/alerts/notice.js';
import type { WebhookPayload } from '../src/alerts/notifiers/payloads.js';
import { validateRule } from '../src/alerts/validate-rule.js';

interface Received {
  path: string;
  body: unknown;
}

/** A real webhook receiver on loopback that answers with the given statuses in turn (then 200). */
async function startReceiver(t: { after(fn: () => unknown): void }, statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer(function receiverOnRequest(req: IncomingMessage, res) {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const rule = validateRule(
  {
    name: 'Chat 1006 rate high',
    filter: { service: 'chat' },
    condition: { kind: 'rate_1006_above', threshold: 5 },
    severity: 'critical',
    labels: { team: 'realtime' },
  },
  'chat-1006',
);

function notice(status: 'firing' | 'resolved'): AlertNotice {
  return {
    rule,
    status,
    value: 42.5,
    startsAtMs: Date.now() - 60_000,
    endsAtMs: status === 'resolved' ? Date.now() : null,
    link: 'http://127.0.0.1:4318/#/overview?service=chat',
  };
}

const fast = { attempts: 3, baseDelayMs: 10, timeoutMs: 2000 };

describe('alert notifications', () => {
  test('a generic webhook receives the rule, status, value and dashboard link as JSON', async (t) => {
    const receiver = await startReceiver(t);
    assert.equal(await deliverNotice({ kind: 'webhook', url: receiver.url }, notice('firing'), fast), null);
    const body = receiver.received[0].body as WebhookPayload;
    assert.equal(body.status, 'firing');
    assert.equal(body.rule.id, 'chat-1006');
    assert.equal(body.value, 42.5);
    assert.equal(body.description, '1006 rate above 5% over 5m where service=chat');
    assert.equal(body.link, 'http://127.0.0.1:4318/#/overview?service=chat');
    assert.equal(body.endsAt, null);
  });

  test('a Slack-compatible webhook receives one text line with the link', async (t) => {
    const receiver = await startReceiver(t);
    assert.equal(await deliverNotice({ kind: 'slack', url: receiver.url }, notice('resolved'), fast), null);
    const { text } = receiver.received[0].body as { text: string };
    assert.match(
      text,
      /^:large_green_circle: \[RESOLVED\] Chat 1006 rate high: 1006 rate above 5% over 5m where service=chat \(value 42\.5\) <http:\/\/127\.0\.0\.1:4318\/#\/overview\?service=chat\|Open in Closewatch>$/,
    );
  });

  test('failures are retried with backoff until the receiver accepts', async (t) => {
    const receiver = await startReceiver(t, [503, 500]);
    assert.equal(await deliverNotice({ kind: 'webhook', url: receiver.url }, notice('firing'), fast), null);
    assert.equal(receiver.received.length, 3);
  });

  test('a receiver that keeps failing yields an error message, never an exception', async (t) => {
    const receiver = await startReceiver(t, [500, 500, 500, 500]);
    const error = await deliverNotice({ kind: 'webhook', url: receiver.url }, notice('firing'), fast);
    assert.match(error ?? '', /answered 500$/);
    assert.equal(receiver.received.length, 3);
    const unreachable = await deliverNotice({ kind: 'webhook', url: 'http://127.0.0.1:9/none' }, notice('firing'), fast);
    assert.match(unreachable ?? '', /^webhook http:\/\/127\.0\.0\.1:9\/none: /);
  });

  test('a client error (4xx) is not retried', async (t) => {
    const receiver = await startReceiver(t, [400]);
    assert.match((await deliverNotice({ kind: 'webhook', url: receiver.url }, notice('firing'), fast)) ?? '', /answered 400/);
    assert.equal(receiver.received.length, 1);
  });

  test('a real Alertmanager receives the alert through its v2 API and lists it, then sees it resolved', async (t) => {
    const alertmanager = await startAlertmanager({ t });
    assert.equal(await deliverNotice({ kind: 'alertmanager', url: alertmanager.url }, notice('firing'), fast), null);
    const [alert] = await waitFor(
      async () => {
        const alerts = await alertmanager.alerts();
        return alerts.length ? alerts : undefined;
      },
      { timeoutMs: 10_000, message: 'alert listed by alertmanager' },
    );
    assert.equal(alert.labels.alertname, 'Chat 1006 rate high');
    assert.equal(alert.labels.severity, 'critical');
    assert.equal(alert.labels.service, 'chat');
    assert.equal(alert.labels.team, 'realtime');
    assert.equal(alert.status.state, 'active');
    assert.equal(alert.generatorURL, 'http://127.0.0.1:4318/#/overview?service=chat');
    assert.equal(await deliverNotice({ kind: 'alertmanager', url: alertmanager.url }, notice('resolved'), fast), null);
    await waitFor(async () => ((await alertmanager.alerts()).length === 0 ? true : undefined), {
      timeoutMs: 10_000,
      message: 'resolved alert no longer active',
    });
  });
});
