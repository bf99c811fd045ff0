import { describeCloseCode, type AppCloseCodeInfo, type CloseCodeInfo } from '@closewatch/conventions';
import { appCloseCodeOf } from './app-close-code.js';
import type { ConnectionRecord } from '../store/store.js';
import { probeCommand } from './probe-command.js';
import { causeInfo, type CauseInfo } from './taxonomy.js';

/** `GET /api/v1/closes/:id`: the stored record plus what a reader needs to act on it. */
export interface ConnectionDetail extends ConnectionRecord {
  /** The cause's taxonomy entry (title, explanation, remediation); null while the connection is pending. */
  cause: CauseInfo | null;
  /** Meaning of the close code used in aggregates; null when no side reported one. */
  closeCode: CloseCodeInfo | null;
  /** That code as the connection's app protocol defines it (graphql-ws 4401 Unauthorized); null when it does not. */
  appCloseCode: AppCloseCodeInfo | null;
  /** `closewatch probe '<scrubbed url>'`; null when no side recorded the URL. */
  probeCommand: string | null;
}

export function connectionDetail(record: ConnectionRecord): ConnectionDetail {
  const outcome = record.outcome;
  return {
    ...record,
    cause: outcome ? causeInfo(outcome.cause) : null,
    closeCode: outcome && outcome.code !== null ? describeCloseCode(outcome.code) : null,
    appCloseCode: appCloseCodeOf(record),
    probeCommand: probeCommand(record),
  };
}
