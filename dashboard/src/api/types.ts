import type { CauseId, Phase } from '@closewatch/conventions';

/**
 * Response shapes of the collector's REST API (/api/v1), as the dashboard reads them: the read API's
 * come from conventions, where the collector's router checks its bodies against the same types
 * (docs/design.md, Decisions: one home for the API types).
 */
export type {
  AgentList,
  AgentView,
  AppCloseCodeInfo,
  CauseInfo,
  CloseCodeInfo,
  CloseListItem,
  MassDrop,
  MassDropList,
  ClosePageResponse as ClosePage,
  ConnectionDetail,
  PlacedSide as StoredSide,
  PublicConfig,
  RateRow,
  StoredSnapshot,
  SummaryResponse as Summary,
  TimeseriesPoint,
  TimeseriesResponse as Timeseries,
} from '@closewatch/conventions';

export type AlertConditionKind = 'rate_1006_above' | 'cause_count_above' | 'rate_increase';
export type AlertSeverity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  id: string;
  name: string;
  /** The backend's one-line description of the condition, when it sends one. */
  description?: string;
  enabled?: boolean;
  filter: { service?: string; route?: string; cause?: CauseId; phase?: Phase; code?: number };
  condition: { kind: AlertConditionKind; threshold?: number; factor?: number };
  window: string;
  for: string;
  minConnections: number;
  severity: AlertSeverity;
  labels: Record<string, string>;
  targets: Array<{ kind: 'webhook' | 'slack' | 'alertmanager'; url: string }>;
}

export interface AlertStateView {
  ruleId: string;
  state: 'inactive' | 'pending' | 'firing' | 'resolved';
  sinceMs: number;
  value: number | null;
  lastEvaluatedMs: number;
  lastNotificationError: string | null;
}
