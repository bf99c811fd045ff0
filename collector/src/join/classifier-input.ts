import type { ClassifyInput, ConnectionSide } from '@closewatch/conventions';
import type { ConnectionRecord, StoredSide } from '../store/store.js';

/** A stored side in the shape classifyClose reads. */
export function toConnectionSide(span: StoredSide): ConnectionSide {
  return { attributes: span.attributes, events: span.events, startTimeMs: span.startTimeMs, endTimeMs: span.endTimeMs };
}

/** The classifier's input for a connection row: whichever sides arrived. */
export function toClassifyInput(record: Pick<ConnectionRecord, 'client' | 'server'>): ClassifyInput {
  const input: ClassifyInput = {};
  if (record.client) input.client = toConnectionSide(record.client);
  if (record.server) input.server = toConnectionSide(record.server);
  return input;
}
