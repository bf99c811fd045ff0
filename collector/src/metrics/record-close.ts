import type { ConnectionOutcome } from '../store/store.js';
import type { CollectorMetrics } from './collector-metrics.js';
import { codeLabel } from './code-label.js';

/** The labels of `closesTotal` for one outcome (label values capped). */
function closeLabels(metrics: CollectorMetrics, outcome: ConnectionOutcome, service: string) {
  return {
    service,
    route: metrics.labelCaps.route.value(service, outcome.route),
    code: codeLabel(outcome.code),
    phase: outcome.phase,
    cause: outcome.cause,
    observed_by: outcome.observedBy,
  };
}

/**
 * Counts connections that just became final (never re-classified ones: that would count them twice).
 * One `closesTotal.inc` per label set of the batch, not per connection: prom-client validates and
 * hashes the six labels on every call (~1 µs), and a batch holds many connections of few label sets.
 */
export function recordCloses(metrics: CollectorMetrics, outcomes: readonly ConnectionOutcome[]): void {
  const closes = new Map<string, { labels: ReturnType<typeof closeLabels>; count: number }>();
  for (const outcome of outcomes) {
    const service = metrics.labelCaps.service.value(outcome.service);
    const labels = closeLabels(metrics, outcome, service);
    const key = `${labels.service}\u0000${labels.route}\u0000${labels.code}\u0000${labels.phase}\u0000${labels.cause}\u0000${labels.observed_by}`;
    const seen = closes.get(key);
    if (seen) seen.count++;
    else closes.set(key, { labels, count: 1 });
    if (outcome.handshakeMs !== null && outcome.handshakeMs >= 0) {
      metrics.handshakeDuration.observe({ service }, outcome.handshakeMs / 1000);
    }
    if (outcome.openMs !== null && outcome.openMs >= 0) {
      metrics.connectionDuration.observe({ service, cause: outcome.cause }, outcome.openMs / 1000);
    }
  }
  for (const { labels, count } of closes.values()) metrics.closesTotal.inc(labels, count);
}
