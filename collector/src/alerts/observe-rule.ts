import type { CloseFilter, Store } from '../store/store.js';
import { parseDuration } from '@closewatch/conventions';
import type { AlertRule } from './rule.js';
import type { Observation } from './state-machine.js';

export interface RuleObservation extends Observation {
  /** Connections in the window (and in the previous one, for rate_increase). */
  total: number;
  previousTotal?: number;
}

function windowFilter(rule: AlertRule, fromMs: number, toMs: number): CloseFilter {
  return { fromMs, toMs, ...rule.filter };
}

/** Evaluates a rule's condition over its window with the store's SQL aggregates. */
export async function observeRule(store: Store, rule: AlertRule, nowMs: number): Promise<RuleObservation> {
  const windowMs = parseDuration(rule.window)!;
  const current = await store.summary(windowFilter(rule, nowMs - windowMs, nowMs), 1);
  const enough = current.total >= rule.minConnections;
  switch (rule.condition.kind) {
    case 'rate_1006_above': {
      const percent = current.rate1006 * 100;
      return { breaching: enough && percent > rule.condition.threshold, value: round(percent), total: current.total };
    }
    case 'cause_count_above':
      return { breaching: enough && current.total > rule.condition.threshold, value: current.total, total: current.total };
    case 'rate_increase': {
      const previous = await store.summary(windowFilter(rule, nowMs - 2 * windowMs, nowMs - windowMs), 1);
      const comparable = enough && previous.total >= rule.minConnections;
      const factor = previous.rate1006 > 0 ? current.rate1006 / previous.rate1006 : current.rate1006 > 0 ? Number.POSITIVE_INFINITY : 0;
      const value = Number.isFinite(factor) ? round(factor) : null;
      return { breaching: comparable && factor >= rule.condition.factor, value, total: current.total, previousTotal: previous.total };
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
