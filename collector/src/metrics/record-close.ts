import type { ConnectionOutcome } from '../store/store.js';
import type { CollectorMetrics } from './collector-metrics.js';

/** Counts one connection that just became final (never a re-classified one: that would count it twice). */
export function recordClose(metrics: CollectorMetrics, outcome: ConnectionOutcome): void {
  const service = metrics.labelCaps.service.value(outcome.service);
  metrics.closesTotal.inc({
    service,
    route: metrics.labelCaps.route.value(outcome.route),
    code: metrics.labelCaps.code.value(outcome.code === null ? 'none' : String(outcome.code)),
    phase: outcome.phase,
    cause: outcome.cause,
    observed_by: outcome.observedBy,
  });
  if (outcome.handshakeMs !== null && outcome.handshakeMs >= 0) {
    metrics.handshakeDuration.observe({ service }, outcome.handshakeMs / 1000);
  }
  if (outcome.openMs !== null && outcome.openMs >= 0) {
    metrics.connectionDuration.observe({ service, cause: outcome.cause }, outcome.openMs / 1000);
  }
}
