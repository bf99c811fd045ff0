import type { AttributeValue, CauseId, ObservedBy, Phase, Side, SideEvent } from '@closewatch/conventions';

/** Response shapes of the collector's REST API (/api/v1), as the dashboard reads them. */

export interface RateRow { total: number; closes1006: number; rate1006: number }

export interface Summary extends RateRow {
  from: number;
  to: number;
  byPhase: Array<{ phase: Phase } & RateRow>;
  byCause: Array<{ cause: CauseId; count: number; share: number }>;
  byCode: Array<{ code: number | null; count: number }>;
  topRoutes: Array<{ service: string; route: string } & RateRow>;
  topServices: Array<{ service: string } & RateRow>;
  byObserver: Array<{ observedBy: ObservedBy; count: number }>;
}

export interface TimeseriesPoint extends RateRow {
  t: number;
  byCause: Partial<Record<CauseId, number>>;
}

export interface Timeseries { from: number; to: number; bucketMs: number; points: TimeseriesPoint[] }

export interface CloseListItem {
  id: string;
  traceId: string;
  cause: CauseId;
  evidence: string[];
  service: string;
  route: string;
  code: number | null;
  reason: string;
  phase: Phase;
  observedBy: ObservedBy;
  startTimeMs: number;
  endTimeMs: number;
  handshakeMs: number | null;
  openMs: number | null;
  /** The app protocol on top of WebSocket (socket.io, engine.io, graphql-ws); null for plain WebSocket. */
  appProtocol: string | null;
  /** Its own word on the close: `ping timeout`, `connect_error: unauthorized`, `4401 Unauthorized`. */
  appReason: string | null;
}

export interface ClosePage { items: CloseListItem[]; nextCursor: string | null }

export interface StoredSide {
  side: Side;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  resource: Record<string, AttributeValue>;
  scope: { name: string; version: string };
  startTimeMs: number;
  endTimeMs: number;
  attributes: Record<string, AttributeValue>;
  events: SideEvent[];
  receivedAtMs: number;
  /** The side's clock minus the collector's (ms), as the collector estimated it; times above are as the agent sent them. */
  clockOffsetMs?: number;
}

export interface CauseInfo { id: CauseId; phase: string; title: string; explanation: string; remediation: string }

export interface CloseCodeInfo { code: number; name: string; meaning: string; range: string }

/** A close code as an app protocol defines it (graphql-ws 4401 Unauthorized). */
export interface AppCloseCodeInfo { protocol: string; code: number; name: string; meaning: string; sentBy: string; cause: CauseId }

export interface ConnectionDetail {
  id: string;
  traceId: string;
  client: StoredSide | null;
  server: StoredSide | null;
  final: boolean;
  outcome: Omit<CloseListItem, 'id' | 'traceId'> | null;
  cause: CauseInfo | null;
  closeCode: CloseCodeInfo | null;
  appCloseCode: AppCloseCodeInfo | null;
  probeCommand: string | null;
}

export interface PublicConfig {
  publicUrl: string;
  agentUrl: string;
  ingestKeyRequired: boolean;
  browserKey: string | null;
  adminTokenRequired: boolean;
  /** Writes are refused: the collector listens beyond loopback and has no admin token. */
  writesRefused?: boolean;
}

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

/** `GET /api/v1/mass-drops` items: many abrupt ends at once (docs/design.md "Mass drops"). */
export interface MassDrop {
  id: string;
  cause: 'server_gone' | 'intermediary_dropped';
  group: 'server_instance' | 'client_target';
  route: string;
  target: string;
  service: string;
  instance: string;
  connections: number;
  firstEndMs: number;
  lastEndMs: number;
  lastSeenMs: number | null;
  detectedAtMs: number;
}
export interface MassDropList { from: number; to: number; massDrops: MassDrop[] }
