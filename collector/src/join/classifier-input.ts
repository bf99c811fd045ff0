import type { ClassifyInput, ConnectionSide, ConnectionSnapshot } from '@closewatch/conventions';
import type { ConnectionRecord, StoredSide } from '../store/store.js';

/** A stored side in the shape classifyClose reads. */
export function toConnectionSide(span: StoredSide): ConnectionSide {
  return { attributes: span.attributes, events: span.events, startTimeMs: span.startTimeMs, endTimeMs: span.endTimeMs };
}

/** The classifier's input for a connection row: whichever sides arrived, and the client's last snapshot when one is expected (snapshot-input.ts). */
export function toClassifyInput(record: Pick<ConnectionRecord, 'client' | 'server'>, snapshot?: ConnectionSnapshot | null): ClassifyInput {
  const input: ClassifyInput = {};
  if (snapshot !== undefined) input.snapshot = snapshot;
  if (record.client) input.client = toConnectionSide(record.client);
  if (record.server) input.server = toConnectionSide(record.server);
  return input;
}
