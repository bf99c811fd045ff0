import { fromJson, toNullableNumber, toNumber } from './row-values.js';
import type { AlertHistoryRecord, AlertRuleRecord, AlertStateRecord } from './store.js';

type Row = Record<string, unknown>;

export function toAlertRule(row: Row): AlertRuleRecord {
  return {
    id: row.id as string,
    rule: fromJson<Record<string, unknown>>(row.rule),
    createdAtMs: toNumber(row.created_at_ms),
    updatedAtMs: toNumber(row.updated_at_ms),
  };
}

export function toAlertState(row: Row): AlertStateRecord {
  return {
    ruleId: row.rule_id as string,
    state: row.state as AlertStateRecord['state'],
    sinceMs: toNumber(row.since_ms),
    value: toNullableNumber(row.value),
    lastEvaluatedMs: toNumber(row.last_evaluated_ms),
    lastNotificationError: (row.last_notification_error as string | null) ?? null,
    details: fromJson<Record<string, unknown>>(row.details),
  };
}

export function toAlertHistory(row: Row): AlertHistoryRecord {
  return {
    ruleId: row.rule_id as string,
    atMs: toNumber(row.at_ms),
    from: row.from_state as AlertHistoryRecord['from'],
    to: row.to_state as AlertHistoryRecord['to'],
    value: toNullableNumber(row.value),
  };
}

export function alertStateParams(state: AlertStateRecord): unknown[] {
  return [state.ruleId, state.state, state.sinceMs, state.value, state.lastEvaluatedMs, state.lastNotificationError, JSON.stringify(state.details)];
}

export function alertHistoryParams(history: AlertHistoryRecord): unknown[] {
  return [history.ruleId, history.atMs, history.from, history.to, history.value];
}
