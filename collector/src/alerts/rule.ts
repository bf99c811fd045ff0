import type { CauseId, Phase } from '@closewatch/conventions';

/** Which connections a rule looks at; every field optional, all given ones must match. */
export interface AlertFilter {
  service?: string;
  route?: string;
  cause?: CauseId;
  phase?: Phase;
  code?: number;
}

/**
 * What makes a rule breach over its window:
 * - `rate_1006_above`: share of closes with code 1006 above `threshold` percent;
 * - `cause_count_above`: number of closes (of `filter.cause`, when set) above `threshold`;
 * - `rate_increase`: 1006 rate at least `factor` times the previous window's.
 */
export type AlertCondition =
  { kind: 'rate_1006_above'; threshold: number } | { kind: 'cause_count_above'; threshold: number } | { kind: 'rate_increase'; factor: number };

export type AlertSeverity = 'critical' | 'warning' | 'info';

export interface NotificationTarget {
  kind: 'webhook' | 'slack' | 'alertmanager';
  url: string;
}

export interface AlertRule {
  id: string;
  name: string;
  enabled: boolean;
  filter: AlertFilter;
  condition: AlertCondition;
  /** Evaluation window, a Prometheus duration ("5m"). */
  window: string;
  /** How long the condition must hold before the alert fires ("0s" fires at once). */
  for: string;
  /** Fewer connections than this in the window never breach (avoids alerting on 1 of 2). */
  minConnections: number;
  severity: AlertSeverity;
  labels: Record<string, string>;
  targets: NotificationTarget[];
}

export const ALERT_STATES = ['inactive', 'pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
