import * as A from '../../src/attributes.js';
import type { ConnectionSnapshot } from '../../src/snapshots.js';
import { serverOpen, T0 } from '../sides.js';
import type { Scenario } from './scenario.js';

/** The server's end in serverOpen(): 10 ms + 119,985 ms after T0. */
const SERVER_END = T0 + 10 + 119_985;

/** The browser's last snapshot, `ageMs` before the server's end. */
function snapshot(ageMs: number, attributes: Record<string, string | number | boolean> = {}): ConnectionSnapshot {
  return {
    timeMs: SERVER_END - ageMs,
    count: 3,
    attributes: {
      [A.ATTR_SNAPSHOT_TRIGGER]: 'interval',
      [A.ATTR_SNAPSHOT_INTERVAL_MS]: 60_000,
      [A.ATTR_BROWSER_VISIBILITY_STATE]: 'visible',
      [A.ATTR_BROWSER_ONLINE]: true,
      [A.ATTR_NETWORK_EFFECTIVE_TYPE]: '4g',
      [A.ATTR_SINCE_LAST_SENT_MS]: 5_100,
      [A.ATTR_SINCE_LAST_RECEIVED_MS]: 2_000,
      [A.ATTR_BUFFERED_AMOUNT]: 0,
      ...attributes,
    },
  };
}

/** The server's heartbeat terminated the connection after a missed pong. */
const heartbeatEnd = () => serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }, { events: [[A.EVENT_PING_TIMEOUT, 119_980]] });

/** Connections whose browser close record never arrived: the last open-connection snapshot decides. */
export const SNAPSHOT_SCENARIOS: Scenario[] = [
  {
    name: 'no browser close; the last snapshot, on hidden, says the page was hidden',
    input: { server: heartbeatEnd(), snapshot: snapshot(40_000, { [A.ATTR_SNAPSHOT_TRIGGER]: 'hidden', [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden' }) },
    cause: 'client_suspended',
    rule: 'snapshot.suspended',
    mentions: ['last snapshot', '40.0 s before the server', 'taken on hidden', 'page was hidden', 'no browser close record', 'missed pong'],
  },
  {
    name: 'no browser close; the last snapshot says the page was frozen',
    input: {
      server: heartbeatEnd(),
      snapshot: snapshot(300_000, { [A.ATTR_SNAPSHOT_TRIGGER]: 'freeze', [A.ATTR_BROWSER_FROZEN]: true, [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden' }),
    },
    cause: 'client_suspended',
    rule: 'snapshot.suspended',
    mentions: ['page was frozen', '300.0 s before'],
  },
  {
    name: 'no browser close; the last snapshot, on offline, says the browser was offline',
    input: {
      server: serverOpen({ [A.ATTR_TERMINATION]: 'socket_error', [A.ATTR_ERROR_TYPE]: 'ETIMEDOUT' }),
      snapshot: snapshot(15_000, { [A.ATTR_SNAPSHOT_TRIGGER]: 'offline', [A.ATTR_BROWSER_ONLINE]: false }),
    },
    cause: 'client_offline',
    rule: 'snapshot.offline',
    mentions: ['offline', 'taken on offline', '15.0 s before'],
  },
  {
    name: 'no browser close; visible and online 30 s before a heartbeat end: the network path',
    input: { server: heartbeatEnd(), snapshot: snapshot(30_000) },
    cause: 'connection_lost',
    rule: 'snapshot.network',
    mentions: ['visible and online', '(effective type 4g)', 'last message received 2.0 s', 'network path'],
  },
  {
    name: 'no browser close; visible and online, the server idle for an nginx timeout: the proxy',
    input: {
      server: serverOpen({ [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 60_050 }),
      snapshot: snapshot(50_000),
    },
    cause: 'intermediary_timeout',
    rule: 'snapshot.intermediary_timeout',
    mentions: ['nginx', 'visible and online'],
  },
  {
    name: 'no browser close; visible and online, but the last snapshot is long before the end: unknown',
    input: { server: heartbeatEnd(), snapshot: snapshot(600_000) },
    cause: 'unknown',
    rule: 'snapshot.stale',
    mentions: ['600.0 s before', 'due every 60.0 s', 'stopped reporting'],
  },
  {
    name: 'no browser close and no snapshot since open: unknown, saying both are missing',
    input: { server: heartbeatEnd(), snapshot: null },
    cause: 'unknown',
    rule: 'snapshot.missing',
    mentions: ['neither its close record nor any snapshot', 'missed pong'],
  },
  {
    name: 'a snapshot does not overrule the server app calling terminate() itself',
    input: { server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }), snapshot: snapshot(10_000, { [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden' }) },
    cause: 'server_terminated',
    rule: 'server.terminate',
    mentions: ['terminate()'],
  },
  {
    name: 'a browser close record wins over its snapshot',
    input: {
      client: {
        attributes: { [A.ATTR_CLOSE_CODE]: 1000, [A.ATTR_CLOSE_WAS_CLEAN]: true, [A.ATTR_OPENED]: true, [A.ATTR_PHASE]: 'open' },
        events: [],
        startTimeMs: T0,
        endTimeMs: SERVER_END,
      },
      server: serverOpen({ [A.ATTR_CLOSE_CODE]: 1000, [A.ATTR_CLOSE_WAS_CLEAN]: true, [A.ATTR_TERMINATION]: 'close' }),
      snapshot: snapshot(10_000, { [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden' }),
    },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['1000'],
  },
];
