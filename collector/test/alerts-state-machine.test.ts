import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initialState, transition } from '../src/alerts/state-machine.js';
import type { AlertStateRecord } from '../src/store/store.js';

/** Drives the state machine through a series of evaluations with an injected clock. */
function run(forMs: number, observations: boolean[], stepMs = 30_000) {
  let state: AlertStateRecord = initialState('r1', 0);
  const states: string[] = [];
  const notifications: string[] = [];
  const history: string[] = [];
  observations.forEach((breaching, index) => {
    const result = transition(state, { breaching, value: breaching ? 12.5 : 0.5 }, (index + 1) * stepMs, forMs);
    state = result.next;
    states.push(state.state);
    if (result.notify) notifications.push(`${result.notify}@${(index + 1) * stepMs}`);
    if (result.history) history.push(`${result.history.from}->${result.history.to}`);
  });
  return { state, states, notifications, history };
}

describe('alert state machine', () => {
  test('pending until the condition held for `for`, then firing once, then resolved, then inactive', () => {
    const { states, notifications, history } = run(60_000, [false, true, true, true, true, false, false]);
    assert.deepEqual(states, ['inactive', 'pending', 'pending', 'firing', 'firing', 'resolved', 'inactive']);
    assert.deepEqual(notifications, ['firing@120000', 'resolved@180000']);
    assert.deepEqual(history, ['inactive->pending', 'pending->firing', 'firing->resolved', 'resolved->inactive']);
  });

  test('a blip shorter than `for` never fires and never notifies', () => {
    const { states, notifications } = run(120_000, [true, true, false, true, false]);
    assert.deepEqual(states, ['pending', 'pending', 'inactive', 'pending', 'inactive']);
    assert.deepEqual(notifications, []);
  });

  test('`for` of zero fires on the first breaching evaluation', () => {
    const { states, notifications } = run(0, [true, false]);
    assert.deepEqual(states, ['firing', 'resolved']);
    assert.deepEqual(notifications, ['firing@30000', 'resolved@60000']);
  });

  test('the state keeps when it changed, the value that triggered, and when it fired', () => {
    const { state } = run(0, [false, true, true]);
    assert.equal(state.state, 'firing');
    assert.equal(state.sinceMs, 60_000);
    assert.equal(state.value, 12.5);
    assert.equal(state.details.firedAtMs, 60_000);
    assert.equal(state.lastEvaluatedMs, 90_000);
  });

  test('breaching again after resolving goes back through pending', () => {
    const { states } = run(30_000, [true, true, false, true, true]);
    assert.deepEqual(states, ['pending', 'firing', 'resolved', 'pending', 'firing']);
  });
});
