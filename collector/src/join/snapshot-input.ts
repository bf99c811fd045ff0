import { ATTR_USER_AGENT, type ConnectionSnapshot } from '@closewatch/conventions';
import type { ConnectionRecord, Store, StoredSide, StoredSnapshot } from '../store/store.js';
import { ownClockOffsetMs } from './collector-time.js';

/** Every browser's User-Agent begins so; Node clients send none unless told to. */
const BROWSER_USER_AGENT = /^Mozilla\//;

/**
 * Whether the browser agent's snapshots of this connection could exist (docs/design.md "Open-connection
 * snapshots"): only the server reported, with a parent span (the client propagated trace context) and a
 * browser's User-Agent. Otherwise the classifier is not told about snapshots at all.
 */
export function expectsSnapshot(record: Pick<ConnectionRecord, 'client' | 'server'>): record is { client: null; server: StoredSide } {
  const server = record.server;
  if (record.client !== null || server === null || server.parentSpanId === null) return false;
  const userAgent = server.attributes[ATTR_USER_AGENT];
  return typeof userAgent === 'string' && BROWSER_USER_AGENT.test(userAgent);
}

/** The kept snapshots of the records that may have one, by connection id (one store round trip). */
export async function snapshotsOf(store: Store, records: ConnectionRecord[]): Promise<Map<string, StoredSnapshot>> {
  const ids = records.filter(expectsSnapshot).map((record) => record.id);
  return ids.length === 0 ? new Map() : store.getSnapshots(ids);
}

/**
 * The classifier's view of a record's snapshot: undefined when none is expected, null when expected and
 * none came, else the snapshot placed on the server's clock (taken at, on the collector's clock, plus the
 * server's own clock offset), so its age is the server's end minus its time.
 */
export function classifierSnapshot(record: ConnectionRecord, snapshots: Map<string, StoredSnapshot>): ConnectionSnapshot | null | undefined {
  if (!expectsSnapshot(record)) return undefined;
  const snapshot = snapshots.get(record.id);
  if (!snapshot) return null;
  return { timeMs: snapshot.takenAtMs + ownClockOffsetMs(record.server), count: snapshot.count, attributes: snapshot.attributes };
}
