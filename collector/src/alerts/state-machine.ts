import type { AlertHistoryRecord, AlertStateRecord } from '../store/store.js';

/** One evaluation's outcome for a rule. */
export interface Observation {
  breaching: boolean;
  value: number | null;
}

export interface Transition {
  next: AlertStateRecord;
  /** Set when the state changed: the history entry to keep. */
  history: AlertHistoryRecord | null;
  /** Which notification this transition sends, if any. */
  notify: 'firing' | 'resolved' | null;
}

export function initialState(ruleId: string, nowMs: number): AlertStateRecord {
  return { ruleId, state: 'inactive', sinceMs: nowMs, value: null, lastEvaluatedMs: nowMs, lastNotificationError: null, details: {} };
}

function nextStateName(previous: AlertStateRecord, observation: Observation, nowMs: number, forMs: number): AlertStateRecord['state'] {
  switch (previous.state) {
    case 'inactive':
    case 'resolved':
      if (observation.breaching) return forMs === 0 ? 'firing' : 'pending';
      return 'inactive';
    case 'pending':
      if (!observation.breaching) return 'inactive';
      return nowMs - previous.sinceMs >= forMs ? 'firing' : 'pending';
    case 'firing':
      return observation.breaching ? 'firing' : 'resolved';
  }
}

/**
 * inactive → pending (condition holds) → firing (held for `for`) → resolved (no longer holds) → inactive.
 * A `for` of zero goes straight to firing; pending that stops holding goes back to inactive silently.
 */
export function transition(previous: AlertStateRecord, observation: Observation, nowMs: number, forMs: number): Transition {
  const state = nextStateName(previous, observation, nowMs, forMs);
  const changed = state !== previous.state;
  const next: AlertStateRecord = {
    ...previous,
    state,
    sinceMs: changed ? nowMs : previous.sinceMs,
    value: observation.value,
    lastEvaluatedMs: nowMs,
  };
  if (changed && state === 'firing') next.details = { ...previous.details, firedAtMs: nowMs, firedValue: observation.value };
  if (changed && state === 'resolved') next.details = { ...previous.details, resolvedAtMs: nowMs };
  const history = changed ? { ruleId: previous.ruleId, atMs: nowMs, from: previous.state, to: state, value: observation.value } : null;
  const notify = changed && (state === 'firing' || state === 'resolved') ? state : null;
  return { next, history, notify };
}
