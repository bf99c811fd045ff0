import { describeCloseCode, type AppCloseCodeInfo, type CloseCodeInfo } from '@closewatch/conventions';
import { clockOffsets } from '../join/collector-time.js';
import type { ConnectionRecord, StoredSide, StoredSnapshot } from '../store/store.js';
import { appCloseCodeOf } from './app-close-code.js';
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
  /** That code as the connection's app protocol defines it (graphql-ws 4401 Unauthorized); null when it does not. */
  appCloseCode: AppCloseCodeInfo | null;
  /** `closewatch probe '<scrubbed url>'`; null when no side recorded the URL. */
  probeCommand: string | null;
  /** The browser's last open-connection snapshot of it (docs/design.md "Open-connection snapshots"); null when none came. */
  snapshot: StoredSnapshot | null;
}

export function connectionDetail(record: ConnectionRecord, snapshot: StoredSnapshot | null = null): ConnectionDetail {
  const outcome = record.outcome;
  const offsets = clockOffsets(record);
  return {
    ...record,
    client: record.client && { ...record.client, clockOffsetMs: offsets.client ?? 0 },
    server: record.server && { ...record.server, clockOffsetMs: offsets.server ?? 0 },
    cause: outcome ? causeInfo(outcome.cause) : null,
    closeCode: outcome && outcome.code !== null ? describeCloseCode(outcome.code) : null,
    appCloseCode: appCloseCodeOf(record),
    probeCommand: probeCommand(record),
    snapshot,
  };
}
