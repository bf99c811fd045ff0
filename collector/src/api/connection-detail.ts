import { describeCloseCode, type ConnectionDetail } from '@closewatch/conventions';
import { clockOffsets } from '../join/collector-time.js';
import type { ConnectionRecord, StoredSnapshot } from '../store/store.js';
import { appCloseCodeOf } from './app-close-code.js';
import { probeCommand } from './probe-command.js';
import { causeInfo } from './taxonomy.js';

/** `GET /api/v1/closes/:id`: the stored record plus what a reader needs to act on it. */
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
