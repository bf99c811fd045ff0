import type { AttributeValue } from './classify-types.js';

/**
 * Open-connection snapshots (docs/design.md "Open-connection snapshots"): the browser agent reports the
 * state of every open socket when the page becomes hidden, freezes, goes offline, and periodically. One
 * request (sendBeacon to `/v1/beacon`, else fetch keepalive) carries one `websocket.snapshot` span per
 * open socket: a zero-length CLIENT span, child of the connection's span (same trace id, parent span id
 * = the connection span's id), with the attributes below and the page-state keys of the connection span
 * (`browser.visibility_state`, `browser.frozen`, `browser.online`, `network.connection.effective_type`,
 * `websocket.messages.*`, `websocket.bytes.*`, `websocket.buffered_amount`). A snapshot is never a
 * connection and never a close: the collector keeps the last one per connection and reads it only when
 * the browser's close record never came. A snapshot taken on `offline` cannot leave the page then: the
 * agent sends it again when the browser is back online, with `websocket.snapshot.delay_ms`. The keys are in attributes.ts (ATTR_SNAPSHOT_*, ATTR_SINCE_LAST_*).
 */

/** `hidden` (visibilitychange to hidden), `freeze`, `offline`, `interval` (the periodic one). */
export const SNAPSHOT_TRIGGERS = ['hidden', 'freeze', 'offline', 'interval'] as const;
export type SnapshotTrigger = (typeof SNAPSHOT_TRIGGERS)[number];

/** The browser agent's default period between snapshots while a socket is open. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 60_000;

/**
 * The last snapshot of a connection as the classifier reads it. `timeMs` is on the server's clock
 * (the collector places it there), so its age is `server end − timeMs`.
 */
export interface ConnectionSnapshot {
  timeMs: number;
  /** How many snapshots of this connection arrived. */
  count: number;
  attributes: Record<string, AttributeValue | undefined>;
}
