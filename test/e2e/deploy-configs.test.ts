import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { createRequire } from 'node:module';
import { promtool, startPrometheus } from '@closewatch/test/harness';

const { run: runDockerfilelint } = createRequire(import.meta.url)('dockerfilelint') as {
  run: (configDir: string, content: string) => Array<{ title: string; line: number }>;
};

/** dockerfilelint's findings (its default rules), as `line: title`. */
function lintDockerfile(content: string): string[] {
  return runDockerfilelint(process.cwd(), content).map((item) => `${item.line}: ${item.title}`);
}

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

  test('the OpenTelemetry Collector config is valid YAML', () => {
    const otelcol = parseAllDocuments(readFileSync(path('otelcol/config.yaml'), 'utf8'));
    assert.equal(otelcol[0].errors.length, 0);
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

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(path('Dockerfile'), 'utf8');
  /** Instructions with continuation lines joined, comments left out. */
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  test('passes dockerfilelint, which flags what it should', () => {
    assert.deepEqual(lintDockerfile(dockerfile), []);
    const sloppy = 'FROM node:latest\nRUN apt-get install curl\nADD http://example.com/x.tgz /x\n';
    assert.ok(lintDockerfile(sloppy).length >= 2, 'the linter finds problems in a sloppy Dockerfile');
  });

  test('is multi-stage and runs `closewatch start --host 0.0.0.0` as a numeric non-root user', () => {
    const stages = instructions.filter((line) => /^FROM /i.test(line));
    assert.ok(stages.length >= 2, 'multi-stage');
    const runtime = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));
    const user = runtime.filter((line) => /^USER /i.test(line)).at(-1);
    assert.match(user ?? '', /^USER [1-9]\d*(:[1-9]\d*)?$/, 'a numeric user other than root in the final stage');
    assert.ok(
      runtime.some((line) => /^COPY --from=build /.test(line)),
      'the final stage copies what the build stage made',
    );
    assert.ok(!runtime.some((line) => /npm (ci|install)/.test(line)), 'nothing is installed in the final stage');
    assert.deepEqual(
      runtime.find((line) => /^ENTRYPOINT /.test(line)),
      'ENTRYPOINT ["node", "collector/bin/closewatch.js"]',
    );
    assert.deepEqual(
      runtime.find((line) => /^CMD /.test(line)),
      'CMD ["start", "--host", "0.0.0.0"]',
    );
    assert.ok(runtime.some((line) => /^HEALTHCHECK .*\/healthz/.test(line)));
  });
});
