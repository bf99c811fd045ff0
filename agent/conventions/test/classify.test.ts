import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAUSE_IDS, CLASSIFY_RULES, classifyClose } from '../src/index.js';
import { HANDSHAKE_SCENARIOS } from './scenarios/handshake.js';
import { OPEN_SCENARIOS } from './scenarios/open.js';
import { APP_PROTOCOL_SCENARIOS } from './scenarios/app-protocols.js';
import { SNAPSHOT_SCENARIOS } from './scenarios/snapshots.js';
import { MASS_DROP_SCENARIOS } from './scenarios/mass-drops.js';

const SCENARIOS = [...HANDSHAKE_SCENARIOS, ...OPEN_SCENARIOS, ...APP_PROTOCOL_SCENARIOS, ...SNAPSHOT_SCENARIOS, ...MASS_DROP_SCENARIOS];

for (const scenario of SCENARIOS) {
  test(`classifyClose: ${scenario.name} → ${scenario.cause}`, () => {
    const result = classifyClose(scenario.input);
    const evidence = result.evidence.join(' ');
    assert.equal(result.cause, scenario.cause, `rule ${result.rule}; evidence: ${evidence}`);
    assert.equal(result.rule, scenario.rule, evidence);
    for (const fact of scenario.mentions) {
      assert.ok(evidence.toLowerCase().includes(fact.toLowerCase()), `evidence should mention "${fact}": ${evidence}`);
    }
  });
}

test('every cause id has at least one scenario', () => {
  const covered = new Set(SCENARIOS.map((scenario) => scenario.cause));
  assert.deepEqual(
    CAUSE_IDS.filter((id) => !covered.has(id)),
    [],
  );
});

test('every rule of the table has at least one scenario', () => {
  const covered = new Set(SCENARIOS.map((scenario) => scenario.rule));
  const ruleIds = [...CLASSIFY_RULES.map((rule) => rule.id), 'fallback.unknown'];
  assert.deepEqual(
    ruleIds.filter((id) => !covered.has(id)),
    [],
  );
});

test('rule ids are unique', () => {
  const ids = CLASSIFY_RULES.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('evidence is a list of sentences', () => {
  for (const scenario of SCENARIOS) {
    const { evidence } = classifyClose(scenario.input);
    assert.ok(evidence.length > 0, scenario.name);
    for (const line of evidence) assert.match(line, /^[A-Z`].*[.!?]$/s, `${scenario.name}: ${line}`);
  }
});

test('classifyClose never throws on empty or odd input', () => {
  assert.equal(classifyClose({}).cause, 'unknown');
  const odd = classifyClose({
    client: { attributes: { 'websocket.close.code': 'abc', 'websocket.opened': 'yes', 'error.type': 7 }, events: [], startTimeMs: 5, endTimeMs: 1 },
  });
  assert.ok(CAUSE_IDS.includes(odd.cause));
});

test('classifyClose honours options: a custom intermediary timeout', () => {
  const idle = {
    attributes: { 'websocket.opened': true, 'websocket.close.code': 1006, 'websocket.idle_before_close_ms': 15_000 },
    events: [],
    startTimeMs: 0,
    endTimeMs: 40_000,
  };
  assert.notEqual(classifyClose({ client: idle }).cause, 'intermediary_timeout');
  const custom = classifyClose(
    { client: idle },
    { intermediaryTimeouts: [{ id: 'corp', name: 'Corporate proxy', setting: 'idle', timeoutMs: 15_000, kind: 'idle', source: 'ops wiki' }] },
  );
  assert.equal(custom.cause, 'intermediary_timeout');
  assert.match(custom.evidence.join(' '), /Corporate proxy/);
});

test('classifyClose is pure: same answer twice, input untouched', () => {
  for (const scenario of SCENARIOS) {
    const before = JSON.stringify(scenario.input);
    const first = classifyClose(scenario.input);
    const second = classifyClose(scenario.input);
    assert.deepEqual(second, first, scenario.name);
    assert.equal(JSON.stringify(scenario.input), before, scenario.name);
  }
});
