import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promtool } from '@closewatch/test/harness';
import { DEFAULT_RULES } from '../src/alerts/default-rules.js';
import { alertName, prometheusRuleFile, ruleExpression } from '../src/alerts/prometheus-rules.js';
import { validateRule } from '../src/alerts/validate-rule.js';

const chatRule = validateRule(
  {
    name: 'Chat 1006 rate high',
    filter: { service: 'chat', route: '/rooms/:id' },
    condition: { kind: 'rate_1006_above', threshold: 10 },
    window: '5m',
    for: '1m',
    minConnections: 10,
    severity: 'critical',
  },
  'chat-1006',
);

/** promtool unit test: 50 chat closes a minute, 20 of them 1006 from minute 10 (40 % > 10 %). */
const unitTest = `rule_files:
  - rules.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'closewatch_ws_closes_total{service="chat",route="/rooms/:id",code="1000",phase="open",cause="normal_closure",observed_by="both"}'
        values: '0+50x10 500+30x20'
      - series: 'closewatch_ws_closes_total{service="chat",route="/rooms/:id",code="1006",phase="open",cause="intermediary_timeout",observed_by="both"}'
        values: '0x10 0+20x20'
    alert_rule_test:
      - eval_time: 9m
        alertname: ClosewatchChat1006RateHigh
        exp_alerts: []
      - eval_time: 20m
        alertname: ClosewatchChat1006RateHigh
        exp_alerts:
          - exp_labels:
              severity: critical
              rule_id: chat-1006
            exp_annotations:
              summary: 'Chat 1006 rate high: 1006 rate above 10% over 5m where service=chat, route=/rooms/:id'
              description: 'Exported from Closewatch. 40 is the measured value; see the Closewatch dashboard for the causes.'
    promql_expr_test:
      - expr: service:closewatch_ws_closes_1006_ratio:rate5m
        eval_time: 20m
        exp_samples:
          - labels: 'service:closewatch_ws_closes_1006_ratio:rate5m{service="chat"}'
            value: 0.4
`;

describe('Prometheus rule export', () => {
  test('alert names are valid metric names derived from the rule name', () => {
    assert.equal(alertName(chatRule), 'ClosewatchChat1006RateHigh');
  });

  test('the 1006-rate expression divides 1006 closes by all closes of the filter and requires enough connections', () => {
    const expr = ruleExpression(chatRule);
    assert.match(expr, /closewatch_ws_closes_total\{service="chat",route="\/rooms\/:id",code="1006"\}\[5m\]/);
    assert.match(expr, /\* 100 > 10 and sum\(increase\(closewatch_ws_closes_total\{service="chat",route="\/rooms\/:id"\}\[5m\]\)\) >= 10$/);
  });

  test('label values with quotes and backslashes are escaped', () => {
    const rule = validateRule({ name: 'q', filter: { service: 'a"b\\c' }, condition: { kind: 'cause_count_above', threshold: 1 } }, 'q');
    assert.match(ruleExpression(rule), /service="a\\"b\\\\c"/);
  });

  test('promtool check rules accepts the exported file and promtool test rules fires the alert on a 1006 spike', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'closewatch-rules-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'rules.yml'), prometheusRuleFile([chatRule, ...DEFAULT_RULES]));
    await writeFile(join(dir, 'rules.test.yml'), unitTest);
    const check = await promtool(['check', 'rules', join(dir, 'rules.yml')]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /SUCCESS: 10 rules found/);
    const unit = await promtool(['test', 'rules', join(dir, 'rules.test.yml')]);
    assert.equal(unit.code, 0, unit.stdout + unit.stderr);
    assert.match(unit.stdout, /SUCCESS/);
  });

  test('deploy/prometheus/closewatch-rules.yml is the export of the default rules and passes promtool', async () => {
    const shipped = new URL('../../deploy/prometheus/closewatch-rules.yml', import.meta.url);
    assert.equal(await readFile(shipped, 'utf8'), prometheusRuleFile(DEFAULT_RULES), 'regenerate with `closewatch alerts export --defaults`');
    const check = await promtool(['check', 'rules', shipped.pathname]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });
});
