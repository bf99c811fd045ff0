/** Alert rule, state and history statements; the same text runs on both dialects. */
export const ALERT_SQL = {
  listRules: 'SELECT id, rule, created_at_ms, updated_at_ms FROM alert_rules ORDER BY created_at_ms, id',
  getRule: 'SELECT id, rule, created_at_ms, updated_at_ms FROM alert_rules WHERE id = $1',
  putRule: `
INSERT INTO alert_rules (id, rule, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, updated_at_ms = excluded.updated_at_ms`,
  deleteRule: 'DELETE FROM alert_rules WHERE id = $1',
  deleteState: 'DELETE FROM alert_states WHERE rule_id = $1',
  listStates: `
SELECT rule_id, state, since_ms, value, last_evaluated_ms, last_notification_error, details
FROM alert_states ORDER BY rule_id`,
  putState: `
INSERT INTO alert_states (rule_id, state, since_ms, value, last_evaluated_ms, last_notification_error, details)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (rule_id) DO UPDATE SET
  state = excluded.state, since_ms = excluded.since_ms, value = excluded.value,
  last_evaluated_ms = excluded.last_evaluated_ms, last_notification_error = excluded.last_notification_error,
  details = excluded.details`,
  insertHistory: 'INSERT INTO alert_history (rule_id, at_ms, from_state, to_state, value) VALUES ($1, $2, $3, $4, $5)',
  listHistory: `
SELECT rule_id, at_ms, from_state, to_state, value FROM alert_history
WHERE rule_id = $1 ORDER BY at_ms DESC, seq DESC LIMIT $2`,
  deleteHistoryBefore: 'DELETE FROM alert_history WHERE at_ms < $1',
} as const;
