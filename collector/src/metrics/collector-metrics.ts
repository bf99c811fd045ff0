import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelCap, LabelCapPer } from './label-cap.js';

export const METRIC_PREFIX = 'closewatch_';

export interface MetricsOptions {
  maxRouteLabels: number;
  maxServiceLabels: number;
  /** Current number of connections waiting for their other side (the join_pending gauge). */
  pendingConnections: () => Promise<number>;
  /** Rows the store set aside since it opened, by operation (the store's `quarantine.counts()`). */
  quarantined?: () => ReadonlyMap<string, number>;
  /** Default process metrics (CPU, memory, event loop); off in short-lived test apps. */
  processMetrics?: boolean;
}

/** Every metric the collector exports, on its own Registry (docs/design.md "Metrics"). */
export interface CollectorMetrics {
  registry: Registry;
  closesTotal: Counter<'service' | 'route' | 'code' | 'phase' | 'cause' | 'observed_by'>;
  handshakeDuration: Histogram<'service'>;
  connectionDuration: Histogram<'service' | 'cause'>;
  ingestSpansTotal: Counter<'result'>;
  ingestRequestsTotal: Counter<'endpoint' | 'status'>;
  joinPending: Gauge;
  joinExpiredTotal: Counter;
  joinOverflowTotal: Counter;
  joinLateSidesTotal: Counter<'side' | 'cause_differs'>;
  storeOperationDuration: Histogram<'operation'>;
  storeQuarantined: Counter<'operation'>;
  /** Set by the alert evaluator: 1 while a rule fires, 0 otherwise. */
  alertsFiring: Gauge<'rule'>;
  /** 1 while this instance holds the alert evaluation leadership (several instances on PostgreSQL). */
  alertsLeader: Gauge;
  /** Services and alert rules capped once; routes capped per service (`maxRouteLabels` each). */
  labelCaps: { service: LabelCap; route: LabelCapPer; rule: LabelCap };
}

const MAX_RULE_LABELS = 200;

export function createCollectorMetrics(options: MetricsOptions): CollectorMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    // prom-client names these gauges *_total, which promtool rejects ("non-counter metrics should not have _total").
    for (const gauge of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      registry.removeSingleMetric(`${METRIC_PREFIX}${gauge}`);
    }
  }
  const registers = [registry];
  /** What the quarantine counter has counted of the store's totals. */
  const countedQuarantined = new Map<string, number>();
  return {
    registry,
    closesTotal: new Counter({
      name: 'closewatch_ws_closes_total',
      help: 'Final WebSocket connections by service, route, close code, phase, classified cause and which agents observed them.',
      labelNames: ['service', 'route', 'code', 'phase', 'cause', 'observed_by'],
      registers,
    }),
    handshakeDuration: new Histogram({
      name: 'closewatch_ws_handshake_duration_seconds',
      help: 'WebSocket opening handshake duration (start to open or failure) of final connections.',
      labelNames: ['service'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    connectionDuration: new Histogram({
      name: 'closewatch_ws_connection_duration_seconds',
      help: 'Time WebSocket connections stayed open (open to close), by classified cause.',
      labelNames: ['service', 'cause'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400],
      registers,
    }),
    ingestSpansTotal: new Counter({
      name: 'closewatch_ingest_spans_total',
      help: 'Spans received on OTLP ingest: accepted (websocket.connection), snapshot (websocket.snapshot), rejected (invalid) or ignored (other spans).',
      labelNames: ['result'],
      registers,
    }),
    ingestRequestsTotal: new Counter({
      name: 'closewatch_ingest_requests_total',
      help: 'OTLP ingest requests by endpoint and HTTP status.',
      labelNames: ['endpoint', 'status'],
      registers,
    }),
    joinPending: new Gauge({
      name: 'closewatch_join_pending',
      help: 'Connections waiting for their other side (across all instances sharing the store).',
      registers,
      async collect() {
        this.set(await options.pendingConnections());
      },
    }),
    joinExpiredTotal: new Counter({
      name: 'closewatch_join_expired_total',
      help: 'Connections finalised by this instance with one side because the join window passed.',
      registers,
    }),
    joinOverflowTotal: new Counter({
      name: 'closewatch_join_overflow_total',
      help: 'Sides finalised alone at once because the join pending state was full.',
      registers,
    }),
    joinLateSidesTotal: new Counter({
      name: 'closewatch_join_late_sides_total',
      help: 'Sides that arrived after their connection was counted: kept as evidence, the count stands. cause_differs: both sides together classify otherwise.',
      labelNames: ['side', 'cause_differs'],
      registers,
    }),
    storeOperationDuration: new Histogram({
      name: 'closewatch_store_operation_duration_seconds',
      help: 'Store operation latency by operation.',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    storeQuarantined: new Counter({
      name: 'closewatch_store_quarantined_total',
      help: 'Rows the store refused and set aside with their error (DuckDB: <dataDir>/quarantine.jsonl; PostgreSQL: table quarantine), by operation.',
      labelNames: ['operation'],
      registers,
      collect() {
        for (const [operation, count] of options.quarantined?.() ?? []) {
          const counted = countedQuarantined.get(operation) ?? 0;
          if (count > counted) this.inc({ operation }, count - counted);
          countedQuarantined.set(operation, count);
        }
      },
    }),
    alertsFiring: new Gauge({
      name: 'closewatch_alerts_firing',
      help: 'Whether an alert rule is firing (1) or not (0).',
      labelNames: ['rule'],
      registers,
    }),
    alertsLeader: new Gauge({
      name: 'closewatch_alerts_leader',
      help: 'Whether this instance evaluates alert rules and sends notifications (1, the leader) or not (0), as of its last evaluation tick.',
      registers,
    }),
    labelCaps: {
      service: new LabelCap(options.maxServiceLabels),
      route: new LabelCapPer(options.maxRouteLabels),
      rule: new LabelCap(MAX_RULE_LABELS),
    },
  };
}
