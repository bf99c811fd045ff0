import {
  ATTR_BROWSER_FROZEN,
  ATTR_BROWSER_ONLINE,
  ATTR_BROWSER_VISIBILITY_STATE,
  ATTR_NETWORK_EFFECTIVE_TYPE,
  ATTR_SNAPSHOT_DELAY_MS,
  ATTR_SNAPSHOT_INTERVAL_MS,
  ATTR_SNAPSHOT_TRIGGER,
} from '@closewatch/conventions';
import { guard } from './agent-errors.js';
import type { OtlpSpan } from './connection.js';
import { liveConnections } from './connection-registry.js';
import type { Attributes } from './otlp-values.js';

/**
 * Takes one snapshot of every open socket; `trigger` is one of conventions' SNAPSHOT_TRIGGERS, or
 * `online`: the snapshot taken offline, which could not leave the page then, goes out now.
 */
export type TakeSnapshot = (trigger: string) => void;

/** Shortest period the agent accepts, so a value meant in seconds ("60") cannot flood the collector. */
const MIN_INTERVAL_MS = 1000;

/**
 * Open-connection snapshots (docs/design.md): the state of the page and of each open, propagated socket,
 * in one beacon-safe request, so the collector knows what the page was doing if its close record is lost.
 */
export function snapshotTaker(intervalMs: number, send: (spans: OtlpSpan[]) => void): TakeSnapshot {
  /** The snapshot taken on going offline, and when (Date.now()). */
  let offline: OtlpSpan[] | undefined;
  let offlineAt = 0;
  return function takeSnapshot(trigger) {
    if (trigger == 'online') {
      for (const span of offline || []) (span as { attributes: Attributes }).attributes[ATTR_SNAPSHOT_DELAY_MS] = Date.now() - offlineAt;
      if (offline) send(offline);
      offline = undefined;
      return;
    }
    // One page-wide state for all sockets; flags are sent only once true.
    const page = {
      [ATTR_SNAPSHOT_TRIGGER]: trigger,
      [ATTR_SNAPSHOT_INTERVAL_MS]: intervalMs,
      [ATTR_BROWSER_VISIBILITY_STATE]: document.visibilityState,
      [ATTR_BROWSER_ONLINE]: navigator.onLine,
      [ATTR_BROWSER_FROZEN]: trigger == 'freeze' || undefined,
      [ATTR_NETWORK_EFFECTIVE_TYPE]: (navigator as { connection?: { effectiveType?: string } }).connection?.effectiveType,
    };
    const spans: OtlpSpan[] = [];
    for (const connection of liveConnections) {
      const span = connection.snapshot_(page);
      if (span) spans.push(span);
    }
    if (trigger == 'offline') {
      offline = spans;
      offlineAt = Date.now();
    }
    if (spans[0]) send(spans);
  };
}

/** Takes a snapshot every `intervalMs` (none when it is 0 or not a number); returns the undo. */
export function snapshotPeriodically(intervalMs: number, takeSnapshot: TakeSnapshot): () => void {
  const timer = intervalMs > 0 ? setInterval(guard(takeSnapshot), Math.max(MIN_INTERVAL_MS, intervalMs), 'interval') : undefined;
  return function stopSnapshots() {
    clearInterval(timer);
  };
}
