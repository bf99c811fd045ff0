import type { AppCloseCodeInfo } from './app-close-codes.js';
import type { CauseId } from './cause-ids.js';
import type { CauseInfo } from './causes/cause-info.js';
import type { AttributeValue, SideEvent } from './classify-types.js';
import type { CloseCodeInfo } from './close-codes.js';
import type { ObservedBy, Phase, Side } from './phases.js';

/**
 * Response shapes of the collector's REST API (`/api/v1`), in one place: the collector's store and
 * router produce them (the router checks each body with `satisfies`), the dashboard reads them.
 * Types only, so nothing here reaches the browser snippet (docs/design.md, Decisions: one home for
 * the API types).
 */

/** One side's span as the collector keeps it (converted from OTLP, attribute values length-capped). */
export interface StoredSide {
  side: Side;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** `service.name` of the span's resource. */
  service: string;
  resource: Record<string, AttributeValue>;
  scope: { name: string; version: string };
  startTimeMs: number;
  endTimeMs: number;
  attributes: Record<string, AttributeValue>;
  events: SideEvent[];
  /** When this collector received it. */
  receivedAtMs: number;
}

/** The aggregate fields of a final connection, computed by the collector (classifyClose + which side counts). */
export interface ConnectionOutcome {
  cause: CauseId;
  evidence: string[];
  service: string;
  route: string;
  /** Close code used in aggregates: the client's if it reported, else the server's; null when none. */
  code: number | null;
  reason: string;
  phase: Phase;
  observedBy: ObservedBy;
  /** Connection start/end on the collector's clock (sides placed by their clock offsets), used in time filters, buckets and retention. */
  startTimeMs: number;
  endTimeMs: number;
  handshakeMs: number | null;
  openMs: number | null;
  /** The app protocol on top of WebSocket (`socket.io`, `engine.io`, `graphql-ws`); null for plain WebSocket. */
  appProtocol: string | null;
  /** Its own word on the close: socket.io's reason, `connect_error: <message>`, graphql-ws's `4401 Unauthorized`. */
  appReason: string | null;
}

/** A connection row: both sides as far as they arrived, and its outcome once final. */
export interface ConnectionRecord {
  id: string;
  traceId: string;
  client: StoredSide | null;
  server: StoredSide | null;
  /** While pending: the deadline after which the sweeper finalises it with what it has (null when no peer is expected). Null once final. */
  joinDeadlineMs: number | null;
  final: boolean;
  finalizedAtMs: number | null;
  outcome: ConnectionOutcome | null;
}

export interface RateRow {
  total: number;
  closes1006: number;
  rate1006: number;
}

export interface Summary extends RateRow {
  byPhase: Array<{ phase: Phase } & RateRow>;
  byCause: Array<{ cause: CauseId; count: number; share: number }>;
  byCode: Array<{ code: number | null; count: number }>;
  topRoutes: Array<{ service: string; route: string } & RateRow>;
  topServices: Array<{ service: string } & RateRow>;
  byObserver: Array<{ observedBy: ObservedBy; count: number }>;
}

export interface TimeseriesPoint extends RateRow {
  /** Bucket start, ms since epoch. */
  t: number;
  byCause: Partial<Record<CauseId, number>>;
}

export interface Timeseries {
  bucketMs: number;
  points: TimeseriesPoint[];
}

export interface CloseListItem extends ConnectionOutcome {
  id: string;
  traceId: string;
}

export interface ClosePage {
  items: CloseListItem[];
  nextCursor: string | null;
}

/** The time range a read answered for, ms since epoch. */
export interface TimeRange {
  from: number;
  to: number;
}

/** `GET /api/v1/summary`. */
export type SummaryResponse = TimeRange & Summary;
/** `GET /api/v1/timeseries`. */
export type TimeseriesResponse = TimeRange & Timeseries;
/** `GET /api/v1/closes`. */
export type ClosePageResponse = TimeRange & ClosePage;

/** A side as its agent sent it, with the collector's estimate of its clock (its clock minus the collector's, ms). */
export interface PlacedSide extends StoredSide {
  clockOffsetMs: number;
}

/** `GET /api/v1/closes/:id`: the stored record plus what a reader needs to act on it. */
export interface ConnectionDetail extends Omit<ConnectionRecord, 'client' | 'server'> {
  client: PlacedSide | null;
  server: PlacedSide | null;
  /** The cause's taxonomy entry (title, explanation, remediation); null while the connection is pending. */
  cause: CauseInfo | null;
  /** Meaning of the close code used in aggregates; null when no side reported one. */
  closeCode: CloseCodeInfo | null;
  /** That code as the connection's app protocol defines it (graphql-ws 4401 Unauthorized); null when it does not. */
  appCloseCode: AppCloseCodeInfo | null;
  /** `closewatch probe '<scrubbed url>'`; null when no side recorded the URL. */
  probeCommand: string | null;
  /** The browser's last open-connection snapshot of it (docs/design.md "Open-connection snapshots"); null when none came. */
  snapshot: StoredSnapshot | null;
}

/**
 * The last open-connection snapshot of a connection (docs/design.md "Open-connection snapshots"): the
 * browser's `websocket.snapshot` span, keyed like the client side it describes. Never a connection.
 */
export interface StoredSnapshot {
  /** `${traceId}-${clientSpanId}`: the client side's join key. */
  connectionId: string;
  traceId: string;
  /** The snapshot span's own id (a resent snapshot keeps it). */
  spanId: string;
  service: string;
  /** The span's time on the browser's clock: orders the snapshots of one connection. */
  timeMs: number;
  /** When it was taken on the collector's clock: its arrival minus the delay the agent reported. */
  takenAtMs: number;
  receivedAtMs: number;
  /** Under docs/design.md's keys (short keys expanded), typed like a side's. */
  attributes: Record<string, AttributeValue>;
  /** Snapshots of this connection received so far (an older one arriving after a newer one is not counted). */
  count: number;
}

/** `GET /api/v1/causes`: every cause in CAUSE_IDS order. */
export interface CausesResponse {
  causes: CauseInfo[];
}

/** `GET /api/v1/config/public`: what the Setup page needs; nothing secret (browser keys are public). */
export interface PublicConfig {
  publicUrl: string;
  agentUrl: string;
  ingestKeyRequired: boolean;
  /** The first ingest key, for the browser snippet; null when no key is required. */
  browserKey: string | null;
  adminTokenRequired: boolean;
  /** Reads of the API need the admin token too. */
  readTokenRequired: boolean;
  /** Writes are refused: the collector listens beyond loopback and has no admin token. */
  writesRefused: boolean;
}

/** One mass drop (docs/design.md "Mass drops"): many abrupt ends at once, per server instance or per client target. */
export interface MassDrop {
  /** Stable per group and window: rows of one drop merge. */
  id: string;
  cause: Extract<CauseId, 'server_gone' | 'intermediary_dropped'>;
  group: 'server_instance' | 'client_target';
  route: string;
  target: string;
  /** The server instance that went away or whose connections were dropped (its service, instance id). */
  service: string;
  instance: string;
  connections: number;
  firstEndMs: number;
  lastEndMs: number;
  /** When the server instance's last span arrived, when known. */
  lastSeenMs: number | null;
  detectedAtMs: number;
}

/** `GET /api/v1/mass-drops`. */
export interface MassDropList extends TimeRange {
  massDrops: MassDrop[];
}

/** One agent (a server instance, or a client service) with the routes it reported on (docs/design.md "Agents known"). */
export interface AgentView {
  side: Side;
  service: string;
  instance: string;
  scope: string;
  firstSeenMs: number;
  lastSeenMs: number;
  spans: number;
  routes: Array<{ route: string; lastSeenMs: number; spans: number }>;
}

/** `GET /api/v1/agents`. */
export interface AgentList extends TimeRange {
  agents: AgentView[];
}
