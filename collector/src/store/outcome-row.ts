import type { ConnectionOutcome } from './store.js';

/** An outcome in column names, the shape both dialects write. */
export interface OutcomeRow {
  id: string;
  cause: string;
  evidence: string[];
  service: string;
  route: string;
  code: number | null;
  reason: string;
  phase: string;
  observed_by: string;
  start_time_ms: number;
  end_time_ms: number;
  handshake_ms: number | null;
  open_ms: number | null;
  app_protocol: string | null;
  app_reason: string | null;
}

/** One row per id (the last outcome given for an id wins), sorted by id for a stable lock order. */
export function toOutcomeRows(outcomes: Array<{ id: string; outcome: ConnectionOutcome }>): OutcomeRow[] {
  const byId = new Map<string, OutcomeRow>();
  for (const { id, outcome } of outcomes) {
    byId.set(id, {
      id,
      cause: outcome.cause,
      evidence: outcome.evidence,
      service: outcome.service,
      route: outcome.route,
      code: outcome.code,
      reason: outcome.reason,
      phase: outcome.phase,
      observed_by: outcome.observedBy,
      start_time_ms: outcome.startTimeMs,
      end_time_ms: outcome.endTimeMs,
      handshake_ms: outcome.handshakeMs,
      open_ms: outcome.openMs,
      app_protocol: outcome.appProtocol,
      app_reason: outcome.appReason,
    });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
