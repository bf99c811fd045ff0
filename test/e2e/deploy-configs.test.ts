import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { promtool, startPrometheus } from '@closewatch/test/harness';

const deploy = new URL('../../deploy/', import.meta.url);
const path = (name: string) => new URL(name, deploy).pathname;

interface GrafanaPanel {
  title: string;
  targets: Array<{ expr: string }>;
}

describe('deploy/ configuration files', () => {
  test('the Prometheus config and its rule file pass promtool check config', async () => {
    const result = await promtool(['check', 'config', path('prometheus/prometheus.yml')]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /SUCCESS: 1 rule files found/);
  });

  test('the Alertmanager example passes amtool check-config', () => {
    const result = spawnSync('/usr/bin/amtool', ['check-config', path('alertmanager/alertmanager.yml')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  test('the Kubernetes manifests and the OpenTelemetry Collector config are valid YAML', () => {
    const manifests = parseAllDocuments(readFileSync(path('kubernetes/closewatch.yaml'), 'utf8'));
    assert.deepEqual(manifests.map((doc) => doc.errors.length), [0, 0]);
    assert.deepEqual(manifests.map((doc) => (doc.toJS() as { kind: string }).kind), ['Deployment', 'Service']);
    const otelcol = parseAllDocuments(readFileSync(path('otelcol/config.yaml'), 'utf8'));
    assert.equal(otelcol[0]!.errors.length, 0);
  });

  test('every Grafana panel query is PromQL that a real Prometheus accepts', async (t) => {
    const dashboard = JSON.parse(readFileSync(path('grafana/closewatch-dashboard.json'), 'utf8')) as { panels: GrafanaPanel[] };
    const prometheus = await startPrometheus({ scrapeTargets: [], t });
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ panel: panel.title, expr: target.expr })));
    assert.ok(exprs.length >= 10);
    for (const { panel, expr } of exprs) {
      const concrete = expr.replaceAll('$service', '.*').replaceAll('$route', '.*').replaceAll('$__range', '1h').replaceAll('$__rate_interval', '1m');
      await assert.doesNotReject(prometheus.query(concrete), `panel "${panel}": ${concrete}`);
    }
  });
});
