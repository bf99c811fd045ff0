import type { Side } from '@closewatch/conventions';
import type { ConnectionOutcome, IncomingSide, StoredSide } from '../src/store/store.js';

/** A fixed epoch well past 2^31 ms, so BIGINT handling is exercised. */
export const T0 = Date.UTC(2026, 0, 1);
export const HOUR = 3_600_000;

export function storedSide(side: Side, overrides: Partial<StoredSide> = {}): StoredSide {
  return {
    side,
    traceId: 'trace-1',
    spanId: side === 'client' ? 'client-span' : 'server-span',
    parentSpanId: side === 'server' ? 'client-span' : null,
    service: 'chat',
    resource: { 'service.name': 'chat', 'service.version': '1.2.3' },
    scope: { name: `@closewatch/agent-${side === 'client' ? 'browser' : 'node'}`, version: '0.1.0' },
    startTimeMs: T0,
    endTimeMs: T0 + 5_000,
    attributes: {
      'websocket.close.code': 1006,
      'websocket.route': '/rooms/:id',
      'websocket.subprotocols.requested': ['v1', 'v2'],
      'websocket.open.duration_ms': 4_900.5,
      'websocket.opened': true,
      'url.full': 'wss://example.test/rooms/1?name=Zoë',
    },
    events: [
      { name: 'websocket.open', timeMs: T0 + 100 },
      { name: 'browser.offline', timeMs: T0 + 4_000, attributes: { 'browser.online': false } },
    ],
    receivedAtMs: T0 + 6_000,
    ...overrides,
  };
}

/** A side on its way in for connection `id` (trace id derived from it). */
export function incoming(id: string, side: Side, overrides: Partial<StoredSide> = {}, joinDeadlineMs: number | null = T0 + 35_000): IncomingSide {
  return { connectionId: id, joinDeadlineMs, clockOffsetMs: 0, span: storedSide(side, { traceId: `trace-${id}`, ...overrides }) };
}

export function outcome(overrides: Partial<ConnectionOutcome> = {}): ConnectionOutcome {
  return {
    cause: 'client_offline',
    evidence: ['browser went offline 1.0 s before the drop'],
    service: 'chat',
    route: '/rooms/:id',
    code: 1006,
    reason: '',
    phase: 'open',
    observedBy: 'both',
    startTimeMs: T0,
    endTimeMs: T0 + 5_000,
    handshakeMs: 12.5,
    openMs: 4_900.5,
    appProtocol: null,
    appReason: null,
    ...overrides,
  };
}

/** Ids `prefix-000 … prefix-(n-1)`, zero-padded so string order equals numeric order. */
export function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
}
