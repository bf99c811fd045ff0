import { appCloseCodeOfAttributes, type AppCloseCodeInfo } from '@closewatch/conventions';
import type { ConnectionRecord } from '../store/store.js';

/** The outcome's close code as the connection's app protocol defines it, read with the side that carries the code. */
export function appCloseCodeOf(record: ConnectionRecord): AppCloseCodeInfo | null {
  const outcome = record.outcome;
  if (!outcome || outcome.code === null) return null;
  for (const side of [record.client, record.server]) {
    const entry = side && appCloseCodeOfAttributes(side.attributes, outcome.appProtocol ?? undefined, outcome.code);
    if (entry) return entry;
  }
  return null;
}
