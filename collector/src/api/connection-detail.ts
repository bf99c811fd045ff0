import { describeCloseCode, type CloseCodeInfo } from '@closewatch/conventions';
import { clockOffsets } from '../join/collector-time.js';
import type { ConnectionRecord, StoredSide } from '../store/store.js';
import { probeCommand } from './probe-command.js';
import { causeInfo, type CauseInfo } from './taxonomy.js';

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
  /** `closewatch probe '<scrubbed url>'`; null when no side recorded the URL. */
  probeCommand: string | null;
}

export function connectionDetail(record: ConnectionRecord): ConnectionDetail {
  const outcome = record.outcome;
  const offsets = clockOffsets(record);
  return {
    ...record,
    client: record.client && { ...record.client, clockOffsetMs: offsets.client ?? 0 },
    server: record.server && { ...record.server, clockOffsetMs: offsets.server ?? 0 },
    cause: outcome ? causeInfo(outcome.cause) : null,
    closeCode: outcome && outcome.code !== null ? describeCloseCode(outcome.code) : null,
    probeCommand: probeCommand(record),
  };
}
