import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from './temp-dir.js';
import { prometheusConfig, startPrometheus } from './prometheus.js';
import { promtool } from './promtool.js';
import { serveStatic } from './static-server.js';

const sampleMetrics = `# HELP closewatch_harness_probe_total A counter the harness test exposes.
# TYPE closewatch_harness_probe_total counter
closewatch_harness_probe_total{route="/rooms/:id"} 42
`;

test('Prometheus scrapes a /metrics server, query returns its value, and rule files are evaluated', async (t) => {
  const dir = makeTempDir('rules');
  t.after(() => dir.remove());
  const rulePath = join(dir.path, 'rules.yml');
  await writeFile(
    rulePath,
    'groups:\n  - name: harness\n    rules:\n      - record: closewatch:harness_probe:doubled\n        expr: closewatch_harness_probe_total * 2\n',
  );
  const target = await serveStatic({ '/metrics': { body: sampleMetrics, type: 'text/plain; version=0.0.4' } }, { t });
  const prometheus = await startPrometheus({ t, scrapeTargets: [`127.0.0.1:${target.port}`], ruleFiles: [rulePath] });

  const samples = await prometheus.waitForSeries('closewatch_harness_probe_total');
  assert.equal(samples.length, 1);
  assert.equal(samples[0].value, 42);
  assert.equal(samples[0].metric.route, '/rooms/:id');
  assert.equal(samples[0].metric.job, 'closewatch');
  const [doubled] = await prometheus.waitForSeries('closewatch:harness_probe:doubled');
  assert.equal(doubled.value, 84);
});

test('Prometheus query rejects an invalid expression with its error', async (t) => {
  const prometheus = await startPrometheus({ t, scrapeTargets: ['127.0.0.1:1'] });
  await assert.rejects(prometheus.query('sum('), /prometheus query sum\( failed: .*parse error/);
});

test('prometheusConfig points alerting at the Alertmanager URL', () => {
  const config = prometheusConfig({ scrapeTargets: ['127.0.0.1:1'], alertmanagerUrl: 'http://127.0.0.1:9093/am' });
  assert.match(config, /targets: \["127\.0\.0\.1:9093"\]/);
  assert.match(config, /path_prefix: "\/am"/);
});

test('promtool check metrics accepts a valid exposition and flags a bad one', async () => {
  const good = await promtool(['check', 'metrics'], sampleMetrics);
  assert.equal(good.code, 0, good.stderr);
  const bad = await promtool(['check', 'metrics'], '# TYPE closewatch_bad counter\nclosewatch_bad{ 1\n');
  assert.notEqual(bad.code, 0);
});

test('Prometheus close() removes its data directory', async (t) => {
  const target = await serveStatic({ '/metrics': { body: sampleMetrics, type: 'text/plain' } }, { t });
  const prometheus = await startPrometheus({ scrapeTargets: [`127.0.0.1:${target.port}`] });
  assert.ok(existsSync(prometheus.dir));
  await prometheus.close();
  assert.equal(existsSync(prometheus.dir), false);
  await assert.rejects(fetch(`${prometheus.url}/-/ready`));
});
