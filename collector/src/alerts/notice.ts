import { describeRuleCondition } from './describe-rule.js';
import type { AlertRule } from './rule.js';

/** What a notification says: one rule changed to firing or resolved (or is still firing). */
export interface AlertNotice {
  rule: AlertRule;
  status: 'firing' | 'resolved';
  value: number | null;
  /** When the alert started firing. */
  startsAtMs: number;
  /** When it resolved (resolved notices only). */
  endsAtMs: number | null;
  /** Dashboard view of the rule's filter over its window. */
  link: string;
}

/** Dashboard URL showing what the rule looks at (hash route, filters in the query as the dashboard keeps them). */
export function dashboardLink(publicUrl: string, rule: AlertRule, nowMs: number, windowMs: number): string {
  const params = new URLSearchParams({ from: String(nowMs - Math.max(windowMs * 6, 3_600_000)), to: String(nowMs) });
  for (const [key, value] of Object.entries(rule.filter)) {
    if (value !== undefined) params.set(key, String(value));
  }
  return `${publicUrl.replace(/\/+$/, '')}/#/overview?${params.toString()}`;
}

/** One line a person reads in a chat message or an alert list. */
export function summarizeNotice(notice: AlertNotice): string {
  const head = notice.status === 'firing' ? 'FIRING' : 'RESOLVED';
  const value = notice.value === null ? 'n/a' : String(notice.value);
  return `[${head}] ${notice.rule.name}: ${describeRuleCondition(notice.rule)} (value ${value})`;
}
