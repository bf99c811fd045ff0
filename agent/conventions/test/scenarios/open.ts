import * as A from '../../src/attributes.js';
import { browserOpen, serverOpen } from '../sides.js';
import type { Scenario } from './scenario.js';

const CLEAN = (code: number, initiator: string) => ({
  [A.ATTR_CLOSE_CODE]: code,
  [A.ATTR_CLOSE_WAS_CLEAN]: true,
  [A.ATTR_CLOSE_INITIATOR]: initiator,
});

export const OPEN_SCENARIOS: Scenario[] = [
  {
    name: 'the page fired pagehide just before the close; the server saw the socket end',
    input: { client: browserOpen({}, { events: [[A.EVENT_BROWSER_PAGEHIDE, 119_990]] }), server: serverOpen() },
    cause: 'page_unload',
    rule: 'page.unload',
    mentions: ['pagehide', '10 ms before the close'],
  },
  {
    name: 'the browser closed with 1001 going away during navigation',
    input: { client: browserOpen({ ...CLEAN(1001, 'client'), [A.ATTR_BROWSER_PAGE_UNLOADING]: true }), server: serverOpen(CLEAN(1001, 'client')) },
    cause: 'page_unload',
    rule: 'page.unload',
    mentions: ['unloading', '1001'],
  },
  {
    name: 'server alone saw the client close with 1001',
    input: { server: serverOpen({ ...CLEAN(1001, 'client'), [A.ATTR_TERMINATION]: 'close' }) },
    cause: 'page_unload',
    rule: 'page.unload',
    mentions: ['1001'],
  },
  {
    name: 'the server process exited under an open connection',
    input: { client: browserOpen(), server: serverOpen({ [A.ATTR_TERMINATION]: 'process_exit' }) },
    cause: 'server_shutdown',
    rule: 'server.shutdown',
    mentions: ['process exited', '120.0 s'],
  },
  {
    name: 'the server closed every connection with 1012 on SIGTERM',
    input: {
      client: browserOpen(CLEAN(1012, 'server')),
      server: serverOpen({ ...CLEAN(1012, 'server'), [A.ATTR_TERMINATION]: 'close', [A.ATTR_CLOSE_REASON]: 'deploy' }),
    },
    cause: 'server_shutdown',
    rule: 'server.shutdown',
    mentions: ['1012 (Service Restart)', 'deploy'],
  },
  {
    name: 'the server agent saw a graceful shutdown while the browser only saw 1006',
    input: {
      client: browserOpen({}, { events: [[A.EVENT_BROWSER_OFFLINE, 119_000]] }),
      server: serverOpen({ [A.ATTR_CAUSE_HINT]: 'server_shutdown', [A.ATTR_TERMINATION]: 'terminate' }),
    },
    cause: 'server_shutdown',
    rule: 'server.shutdown',
    mentions: ['server agent recorded a shutdown'],
  },
  {
    name: 'browser alone received 1001 from the server',
    input: { client: browserOpen(CLEAN(1001, 'server')) },
    cause: 'server_shutdown',
    rule: 'server.shutdown',
    mentions: ['1001 (Going Away)'],
  },
  {
    name: 'a server restart with 1012 beats a hidden tab',
    input: {
      client: browserOpen({ ...CLEAN(1012, 'server'), [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden' }),
      server: serverOpen({ ...CLEAN(1012, 'server'), [A.ATTR_TERMINATION]: 'close' }),
    },
    cause: 'server_shutdown',
    rule: 'server.shutdown',
    mentions: ['1012'],
  },
  {
    name: 'a message over maxPayload: ws raised WS_ERR_UNSUPPORTED_MESSAGE_LENGTH and closed with 1009',
    input: {
      client: browserOpen({ ...CLEAN(1009, 'server'), [A.ATTR_CLOSE_REASON]: 'Max payload size exceeded' }),
      server: serverOpen({ ...CLEAN(1009, 'server'), [A.ATTR_TERMINATION]: 'close', [A.ATTR_ERROR_TYPE]: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' }),
    },
    cause: 'server_rejected_frame',
    rule: 'server.rejected_frame',
    mentions: ['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', '1009 (Message Too Big)'],
  },
  {
    name: 'browser alone received 1008 policy violation',
    input: { client: browserOpen(CLEAN(1008, 'server')) },
    cause: 'server_rejected_frame',
    rule: 'server.rejected_frame',
    mentions: ['1008 (Policy Violation)'],
  },
  {
    name: 'a WS_ERR_* on a Node client is the client rejecting a frame, not the server',
    input: {
      client: serverOpen({
        [A.ATTR_TERMINATION]: undefined,
        [A.ATTR_ERROR_TYPE]: 'WS_ERR_INVALID_UTF8',
        [A.ATTR_CLOSE_CODE]: 1007,
        [A.ATTR_CLOSE_INITIATOR]: 'client',
      }),
    },
    cause: 'unknown',
    rule: 'fallback.unknown',
    mentions: ['1007 (Invalid Frame Payload Data)', 'initiated by the client'],
  },
  {
    name: 'the server closed with application code 4001 token expired',
    input: {
      client: browserOpen({ ...CLEAN(4001, 'server'), [A.ATTR_CLOSE_REASON]: 'token expired' }),
      server: serverOpen({ ...CLEAN(4001, 'server'), [A.ATTR_TERMINATION]: 'close', [A.ATTR_CLOSE_REASON]: 'token expired' }),
    },
    cause: 'application_close',
    rule: 'close.application_code',
    mentions: ['4001', 'token expired'],
  },
  {
    name: 'browser went offline; the server later saw ECONNRESET',
    input: {
      client: browserOpen({ [A.ATTR_BROWSER_WENT_OFFLINE]: true }, { events: [[A.EVENT_BROWSER_OFFLINE, 95_000]] }),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'socket_error', [A.ATTR_ERROR_TYPE]: 'ECONNRESET' }),
    },
    cause: 'client_offline',
    rule: 'client.offline',
    mentions: ['went offline 95.0 s after', '25.0 s before', 'ECONNRESET'],
  },
  {
    name: 'going offline beats the server heartbeat it triggered',
    input: {
      client: browserOpen({}, { events: [[A.EVENT_BROWSER_OFFLINE, 60_000]] }),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }, { events: [[A.EVENT_PING_TIMEOUT, 119_900]] }),
    },
    cause: 'client_offline',
    rule: 'client.offline',
    mentions: ['went offline', 'terminate'],
  },
  {
    name: 'a short outage 2 s before the drop still counts',
    input: {
      client: browserOpen(
        { [A.ATTR_BROWSER_WENT_OFFLINE]: true },
        {
          events: [
            [A.EVENT_BROWSER_OFFLINE, 110_000],
            [A.EVENT_BROWSER_ONLINE, 118_000],
          ],
        },
      ),
    },
    cause: 'client_offline',
    rule: 'client.offline',
    mentions: ['offline 110.0 s after the connection started for 8.0 s'],
  },
  {
    name: 'an outage long before the drop does not beat a server terminate()',
    input: {
      client: browserOpen(
        { [A.ATTR_BROWSER_WENT_OFFLINE]: true },
        {
          events: [
            [A.EVENT_BROWSER_OFFLINE, 5_000],
            [A.EVENT_BROWSER_ONLINE, 9_000],
          ],
        },
      ),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }),
    },
    cause: 'server_terminated',
    rule: 'server.terminate',
    mentions: ['terminate()'],
  },
  {
    name: 'browser alone: navigator.onLine was false at close',
    input: { client: browserOpen({ [A.ATTR_BROWSER_ONLINE]: false }) },
    cause: 'client_offline',
    rule: 'client.offline',
    mentions: ['navigator.onLine false'],
  },
  {
    name: 'tab hidden until the drop; the server heartbeat terminated it',
    input: {
      client: browserOpen({ [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden', [A.ATTR_BROWSER_WAS_HIDDEN]: true }, { events: [[A.EVENT_BROWSER_HIDDEN, 30_000]] }),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate', [A.ATTR_CAUSE_HINT]: 'server_heartbeat_timeout' }),
    },
    cause: 'client_suspended',
    rule: 'client.suspended',
    mentions: ['hidden', 'consequence'],
  },
  {
    name: 'the page was frozen',
    input: { client: browserOpen({ [A.ATTR_BROWSER_FROZEN]: true }) },
    cause: 'client_suspended',
    rule: 'client.suspended',
    mentions: ['frozen'],
  },
  {
    name: 'device slept: hidden at 20 s, visible again 2 s before the drop',
    input: {
      client: browserOpen(
        { [A.ATTR_BROWSER_WAS_HIDDEN]: true },
        {
          events: [
            [A.EVENT_BROWSER_HIDDEN, 20_000],
            [A.EVENT_BROWSER_VISIBLE, 118_000],
          ],
        },
      ),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'socket_error', [A.ATTR_ERROR_TYPE]: 'ETIMEDOUT' }),
    },
    cause: 'client_suspended',
    rule: 'client.suspended',
    mentions: ['hidden for 98.0 s', '2.0 s after it came back'],
  },
  {
    name: 'the server sent a close frame and the browser never answered',
    input: {
      client: browserOpen(),
      server: serverOpen(
        { [A.ATTR_PHASE]: 'closing', [A.ATTR_CLOSE_INITIATOR]: 'server', [A.ATTR_TERMINATION]: 'close' },
        { lasted: 119_985, events: [[A.EVENT_CLOSE_FRAME_SENT, 89_985]] },
      ),
    },
    cause: 'close_handshake_timeout',
    rule: 'close.handshake_timeout',
    mentions: ['closing phase', '30.0 s'],
  },
  {
    name: 'a Node client sent a close frame and got none back',
    input: { client: { ...serverOpen({ [A.ATTR_TERMINATION]: undefined }, { events: [[A.EVENT_CLOSE_FRAME_SENT, 100_000]] }) } },
    cause: 'close_handshake_timeout',
    rule: 'close.handshake_timeout',
    mentions: ['no close frame came back', '20.0 s'],
  },
  {
    name: 'the browser closed with 1000',
    input: { client: browserOpen(CLEAN(1000, 'client')), server: serverOpen({ ...CLEAN(1000, 'client'), [A.ATTR_TERMINATION]: 'close' }) },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['1000 (Normal Closure)', 'initiated by the client'],
  },
  {
    name: 'the browser app called close(1000): phase closing, handshake completed',
    input: { client: browserOpen({ ...CLEAN(1000, 'client'), [A.ATTR_PHASE]: 'closing' }) },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['1000', 'closing handshake completed'],
  },
  {
    name: 'a clean close while the tab was hidden is still normal',
    input: { client: browserOpen({ ...CLEAN(1000, 'client'), [A.ATTR_BROWSER_VISIBILITY_STATE]: 'hidden' }) },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['1000'],
  },
  {
    name: 'the server called close() without a code: 1005',
    input: { client: browserOpen(CLEAN(1005, 'server')), server: serverOpen({ ...CLEAN(1005, 'server'), [A.ATTR_TERMINATION]: 'close' }) },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['1005 (No Status Received)'],
  },
  {
    name: 'the server heartbeat missed a pong and terminated',
    input: {
      client: browserOpen(),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }, { events: [[A.EVENT_PING_TIMEOUT, 119_980]] }),
    },
    cause: 'server_heartbeat_timeout',
    rule: 'server.heartbeat',
    mentions: ['missed pong', 'termination terminate'],
  },
  {
    name: 'server alone, heartbeat hint without an event',
    input: { server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate', [A.ATTR_CAUSE_HINT]: 'server_heartbeat_timeout' }) },
    cause: 'server_heartbeat_timeout',
    rule: 'server.heartbeat',
    mentions: ['heartbeat'],
  },
  {
    name: 'the server agent knew the cause first-hand and hinted it',
    input: { client: browserOpen(), server: serverOpen({ [A.ATTR_CAUSE_HINT]: 'intermediary_timeout' }) },
    cause: 'intermediary_timeout',
    rule: 'agent.hint',
    mentions: ['server agent recorded the cause intermediary_timeout'],
  },
  {
    name: 'the server called terminate()',
    input: { client: browserOpen(), server: serverOpen({ [A.ATTR_TERMINATION]: 'terminate' }) },
    cause: 'server_terminated',
    rule: 'server.terminate',
    mentions: ['terminate()', '1006'],
  },
  {
    name: 'the server closed with 1011 after an exception',
    input: { client: browserOpen(CLEAN(1011, 'server')), server: serverOpen({ ...CLEAN(1011, 'server'), [A.ATTR_TERMINATION]: 'close' }) },
    cause: 'server_terminated',
    rule: 'server.terminate',
    mentions: ['1011 (Internal Error)'],
  },
  {
    name: 'both sides dropped after 60 s idle behind nginx',
    input: {
      client: browserOpen({ [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 60_040 }),
      server: serverOpen({ [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 60_010 }),
    },
    cause: 'intermediary_timeout',
    rule: 'network.intermediary_timeout',
    mentions: ['60.0 s', 'nginx', 'proxy_read_timeout', 'AWS Application Load Balancer'],
  },
  {
    name: 'browser alone dropped after 100 s idle behind Cloudflare',
    input: { client: browserOpen({ [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 100_300 }) },
    cause: 'intermediary_timeout',
    rule: 'network.intermediary_timeout',
    mentions: ['100.3 s', 'Cloudflare'],
  },
  {
    name: 'both sides dropped 30 s after opening behind a GCP load balancer',
    input: {
      client: browserOpen({ [A.ATTR_OPEN_DURATION_MS]: 30_002, [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 1_200 }, { lasted: 30_040 }),
      server: serverOpen({ [A.ATTR_OPEN_DURATION_MS]: 30_001, [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 1_200 }, { lasted: 30_020 }),
    },
    cause: 'intermediary_timeout',
    rule: 'network.intermediary_timeout',
    mentions: ['open for 30.0 s', 'Google Cloud'],
  },
  {
    name: 'both sides ended abruptly after 12 s idle: connection lost',
    input: {
      client: browserOpen({ [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 12_000 }),
      server: serverOpen({ [A.ATTR_TERMINATION]: 'socket_error', [A.ATTR_ERROR_TYPE]: 'ECONNRESET', [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 12_000 }),
    },
    cause: 'connection_lost',
    rule: 'network.connection_lost',
    mentions: ['ECONNRESET', '12.0 s idle', 'no known proxy timeout'],
  },
  {
    name: 'server alone saw ECONNRESET from a client without an agent',
    input: { server: serverOpen({ [A.ATTR_TERMINATION]: 'socket_error', [A.ATTR_ERROR_TYPE]: 'ECONNRESET' }) },
    cause: 'connection_lost',
    rule: 'network.connection_lost',
    mentions: ['socket_error', 'ECONNRESET'],
  },
  {
    name: 'browser alone saw 1006 with nothing else',
    input: { client: browserOpen() },
    cause: 'unknown',
    rule: 'fallback.unknown',
    mentions: ['1006 (Abnormal Closure)', 'install the Node agent', 'how the server side ended'],
  },
  {
    name: 'browser alone, trace context not propagated to this host',
    input: { client: browserOpen({ [A.ATTR_PROPAGATED]: false }) },
    cause: 'unknown',
    rule: 'fallback.unknown',
    mentions: ['websocket.propagated=false', 'data-propagate-to'],
  },
  {
    name: 'server alone saw 1006 with no termination recorded',
    input: { server: serverOpen({ [A.ATTR_TERMINATION]: undefined }) },
    cause: 'unknown',
    rule: 'fallback.unknown',
    mentions: ['Only the server reported', 'browser agent'],
  },
];
