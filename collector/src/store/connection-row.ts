import type { CauseId, ObservedBy, Phase } from '@closewatch/conventions';
import { fromJson, fromNullableJson, toNullableNumber, toNumber } from './row-values.js';
import type { CloseListItem, ConnectionOutcome, ConnectionRecord, StoredSide } from './store.js';

/** A `connections` row as either driver returns it (values still in driver types). */
export type ConnectionRow = Record<string, unknown>;

/** The outcome columns, in the order both dialects select them. */
export const OUTCOME_COLUMNS =
  'cause, evidence, service, route, code, reason, phase, observed_by, start_time_ms, end_time_ms, handshake_ms, open_ms, app_protocol, app_reason';

export const CONNECTION_COLUMNS = `id, trace_id, client, server, join_deadline_ms, is_final, finalized_at_ms, ${OUTCOME_COLUMNS}`;

export function toOutcome(row: ConnectionRow): ConnectionOutcome {
  return {
    cause: row.cause as CauseId,
    evidence: fromJson<string[]>(row.evidence),
    service: row.service as string,
    route: row.route as string,
    code: toNullableNumber(row.code),
    reason: row.reason as string,
    phase: row.phase as Phase,
    observedBy: row.observed_by as ObservedBy,
    startTimeMs: toNumber(row.start_time_ms),
    endTimeMs: toNumber(row.end_time_ms),
    handshakeMs: toNullableNumber(row.handshake_ms),
    openMs: toNullableNumber(row.open_ms),
    appProtocol: (row.app_protocol as string | null | undefined) ?? null,
    appReason: (row.app_reason as string | null | undefined) ?? null,
  };
}

export function toConnectionRecord(row: ConnectionRow): ConnectionRecord {
  const final = row.is_final === true;
  return {
    id: row.id as string,
    traceId: row.trace_id as string,
    client: fromNullableJson<StoredSide>(row.client),
    server: fromNullableJson<StoredSide>(row.server),
    joinDeadlineMs: toNullableNumber(row.join_deadline_ms),
    final,
    finalizedAtMs: toNullableNumber(row.finalized_at_ms),
    outcome: final && row.cause !== null ? toOutcome(row) : null,
  };
}

export function toCloseListItem(row: ConnectionRow): CloseListItem {
  return { id: row.id as string, traceId: row.trace_id as string, ...toOutcome(row) };
}
