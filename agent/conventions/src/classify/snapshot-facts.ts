import * as A from '../attributes.js';
import type { ConnectionSnapshot } from '../snapshots.js';
import type { SideFacts } from './side-facts.js';

/** The client's last open-connection snapshot read into facts, with its age at the server's end. */
export interface SnapshotFacts {
  /** Server end − snapshot time, ms (negative: taken after the server's end). */
  ageMs: number;
  count: number;
  trigger?: string;
  intervalMs?: number;
  visibilityState?: string;
  frozen?: boolean;
  online?: boolean;
  effectiveType?: string;
  sinceLastSentMs?: number;
  sinceLastReceivedMs?: number;
  bufferedAmount?: number;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function flagOf(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function readSnapshot(snapshot: ConnectionSnapshot, server: SideFacts): SnapshotFacts {
  const a = snapshot.attributes ?? {};
  return {
    ageMs: server.endTimeMs - snapshot.timeMs,
    count: snapshot.count,
    trigger: textOf(a[A.ATTR_SNAPSHOT_TRIGGER]),
    intervalMs: numberOf(a[A.ATTR_SNAPSHOT_INTERVAL_MS]),
    visibilityState: textOf(a[A.ATTR_BROWSER_VISIBILITY_STATE]),
    // Flags are sent only once true: absent reads as false.
    frozen: flagOf(a[A.ATTR_BROWSER_FROZEN]) ?? false,
    online: flagOf(a[A.ATTR_BROWSER_ONLINE]),
    effectiveType: textOf(a[A.ATTR_NETWORK_EFFECTIVE_TYPE]),
    sinceLastSentMs: numberOf(a[A.ATTR_SINCE_LAST_SENT_MS]),
    sinceLastReceivedMs: numberOf(a[A.ATTR_SINCE_LAST_RECEIVED_MS]),
    bufferedAmount: numberOf(a[A.ATTR_BUFFERED_AMOUNT]),
  };
}
