import { describeRuleCondition } from '../describe-rule.js';
import { summarizeNotice, type AlertNotice } from '../notice.js';
import type { AlertRule } from '../rule.js';

/** What a generic webhook receives. */
export interface WebhookPayload {
  version: 1;
  source: 'closewatch';
  status: AlertNotice['status'];
  rule: Pick<AlertRule, 'id' | 'name' | 'severity' | 'labels' | 'filter' | 'condition' | 'window' | 'for'>;
  description: string;
  value: number | null;
  /** ISO 8601. */
  startsAt: string;
  endsAt: string | null;
  link: string;
}

/** Generic webhook: the whole notice as JSON. */
export function webhookPayload(notice: AlertNotice): WebhookPayload {
  const { rule } = notice;
  return {
    version: 1,
    source: 'closewatch',
    status: notice.status,
    rule: {
      id: rule.id,
      name: rule.name,
      severity: rule.severity,
      labels: rule.labels,
      filter: rule.filter,
      condition: rule.condition,
      window: rule.window,
      for: rule.for,
    },
    description: describeRuleCondition(rule),
    value: notice.value,
    startsAt: new Date(notice.startsAtMs).toISOString(),
    endsAt: notice.endsAtMs === null ? null : new Date(notice.endsAtMs).toISOString(),
    link: notice.link,
  };
}

/** Slack-compatible incoming webhook message. */
export function slackPayload(notice: AlertNotice): unknown {
  const icon = notice.status === 'firing' ? ':red_circle:' : ':large_green_circle:';
  return { text: `${icon} ${summarizeNotice(notice)} <${notice.link}|Open in Closewatch>` };
}

/** Alertmanager v2 `POST /api/v2/alerts` body: a list of postable alerts. */
export function alertmanagerPayload(notice: AlertNotice): unknown {
  const { rule } = notice;
  const labels: Record<string, string> = { ...rule.labels, alertname: rule.name, severity: rule.severity, rule_id: rule.id, source: 'closewatch' };
  for (const [key, value] of Object.entries(rule.filter)) {
    if (value !== undefined) labels[key] = String(value);
  }
  const alert: Record<string, unknown> = {
    labels,
    annotations: { summary: summarizeNotice(notice), description: describeRuleCondition(rule), value: String(notice.value ?? '') },
    startsAt: new Date(notice.startsAtMs).toISOString(),
    generatorURL: notice.link,
  };
  if (notice.endsAtMs !== null) alert.endsAt = new Date(notice.endsAtMs).toISOString();
  return [alert];
}
