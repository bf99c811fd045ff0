import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAlertmanager } from './alertmanager.js';
import { startOtlpReceiver } from './otlp-receiver.js';
import { startPrometheus } from './prometheus.js';
import { makeTempDir } from './temp-dir.js';

const alwaysFiring = `groups:
  - name: harness
    rules:
      - alert: ClosewatchHarnessAlwaysFiring
        expr: vector(1)
        labels: { severity: page }
        annotations: { summary: "fires as soon as rules are evaluated" }
`;

test('Prometheus sends a firing alert to Alertmanager, which notifies its webhook', async (t) => {
  const webhook = await startOtlpReceiver({ t });
  const alertmanager = await startAlertmanager({ t, webhookUrl: `${webhook.url}/alerts` });
  const dir = makeTempDir('rules');
  t.after(() => dir.remove());
  const rulePath = join(dir.path, 'alerts.yml');
  await writeFile(rulePath, alwaysFiring);
  await startPrometheus({ t, scrapeTargets: [], ruleFiles: [rulePath], alertmanagerUrl: alertmanager.url });

  const alert = await alertmanager.waitForAlert('ClosewatchHarnessAlwaysFiring');
  assert.equal(alert.labels.severity, 'page');
  assert.equal(alert.status.state, 'active');

  const [notification] = await webhook.waitForRequests(1, 20_000);
  assert.equal(notification.path, '/alerts');
  const body = JSON.parse(notification.body.toString()) as { status: string; alerts: Array<{ labels: Record<string, string> }> };
  assert.equal(body.status, 'firing');
  assert.equal(body.alerts[0].labels.alertname, 'ClosewatchHarnessAlwaysFiring');
});
