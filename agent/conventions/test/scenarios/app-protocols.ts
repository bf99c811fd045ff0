import * as A from '../../src/attributes.js';
import type { AttributeValue, ConnectionSide } from '../../src/index.js';
import { T0, browserOpen, serverOpen } from '../sides.js';
import type { Scenario } from './scenario.js';

type Attrs = Record<string, AttributeValue | undefined>;

const SOCKET_IO_URL = 'ws://app.example.com/socket.io/?EIO=4&transport=websocket';

const clean = (code: number, initiator: string): Attrs => ({
  [A.ATTR_CLOSE_CODE]: code,
  [A.ATTR_CLOSE_WAS_CLEAN]: true,
  [A.ATTR_CLOSE_INITIATOR]: initiator,
  [A.ATTR_PHASE]: 'open',
});

/** The ws close frame went out and no answer came back within ws's 30 s closing timeout. */
const unansweredClose = (initiator: string): Attrs => ({
  [A.ATTR_CLOSE_CODE]: 1006,
  [A.ATTR_CLOSE_WAS_CLEAN]: false,
  [A.ATTR_CLOSE_INITIATOR]: initiator,
  [A.ATTR_PHASE]: 'closing',
});

const socketIo = (reason: string | undefined, more: Attrs = {}): Attrs => ({
  [A.ATTR_APP_PROTOCOL]: 'socket.io',
  [A.ATTR_APP_CLOSE_REASON]: reason,
  [A.ATTR_URL_FULL]: SOCKET_IO_URL,
  ...more,
});

const HEARTBEAT_SETTINGS: Attrs = { [A.ATTR_APP_PING_INTERVAL_MS]: 25_000, [A.ATTR_APP_PING_TIMEOUT_MS]: 20_000 };

/** A socket.io server side, clean unless told otherwise. */
function sioServer(attributes: Attrs): ConnectionSide {
  return serverOpen({ [A.ATTR_TERMINATION]: 'close', [A.ATTR_SUBPROTOCOL]: '', ...attributes });
}

/** A socket.io-client (Node, ws) side: no browser state, the Node agent's app attributes. */
function sioNodeClient(attributes: Attrs): ConnectionSide {
  return {
    attributes: { [A.ATTR_OPENED]: true, [A.ATTR_PROPAGATED]: true, [A.ATTR_SUBPROTOCOL]: '', [A.ATTR_HANDSHAKE_DURATION_MS]: 3, ...attributes },
    events: [],
    startTimeMs: T0,
    endTimeMs: T0 + 120_000,
  };
}

const graphqlServer = (attributes: Attrs): ConnectionSide =>
  serverOpen({
    [A.ATTR_TERMINATION]: 'close',
    [A.ATTR_SUBPROTOCOL]: 'graphql-transport-ws',
    [A.ATTR_SUBPROTOCOLS_REQUESTED]: ['graphql-transport-ws'],
    ...attributes,
  });
const graphqlBrowser = (attributes: Attrs): ConnectionSide =>
  browserOpen({ [A.ATTR_SUBPROTOCOL]: 'graphql-transport-ws', [A.ATTR_SUBPROTOCOLS_REQUESTED]: ['graphql-transport-ws'], ...attributes });

export const APP_PROTOCOL_SCENARIOS: Scenario[] = [
  {
    name: 'socket.io: the client stopped answering engine.io pings (data frames, not ws pings)',
    input: {
      client: sioNodeClient(socketIo('transport close', clean(1005, 'server'))),
      server: sioServer(socketIo('ping timeout', { ...clean(1005, 'server'), ...HEARTBEAT_SETTINGS, [A.ATTR_CAUSE_HINT]: 'server_heartbeat_timeout' })),
    },
    cause: 'server_heartbeat_timeout',
    rule: 'app.server_heartbeat',
    mentions: ['"ping timeout"', 'pingInterval 25.0 s, pingTimeout 20.0 s', 'the socket.io client reported "transport close"'],
  },
  {
    name: 'socket.io: a browser stopped answering pings; the browser only saw a clean 1005 from the server',
    input: { client: browserOpen(clean(1005, 'server')), server: sioServer(socketIo('ping timeout', clean(1005, 'server'))) },
    cause: 'server_heartbeat_timeout',
    rule: 'app.server_heartbeat',
    mentions: ['"ping timeout"', '1005'],
  },
  {
    name: 'socket.io: the client froze; the server timed it out and waited 30 s for its close reply',
    input: {
      client: sioNodeClient(socketIo('transport close', unansweredClose('server'))),
      server: sioServer(socketIo('ping timeout', { ...unansweredClose('server'), [A.ATTR_CAUSE_HINT]: 'server_heartbeat_timeout' })),
    },
    cause: 'server_heartbeat_timeout',
    rule: 'app.server_heartbeat',
    mentions: ['"ping timeout"', '1006'],
  },
  {
    name: 'socket.io: the client froze and its own ping timer fired on resume, after the server had timed it out',
    input: {
      client: sioNodeClient(socketIo('ping timeout', unansweredClose('client'))),
      server: sioServer(socketIo('ping timeout', unansweredClose('server'))),
    },
    cause: 'server_heartbeat_timeout',
    rule: 'app.server_heartbeat',
    mentions: ['its ping got no pong'],
  },
  {
    name: 'socket.io: the server froze for 35 s; the client gave up on its pings and ws waited 30 s for a close reply',
    input: {
      client: sioNodeClient(socketIo('ping timeout', { ...unansweredClose('client'), [A.ATTR_CAUSE_HINT]: 'client_heartbeat_timeout' })),
      server: sioServer(socketIo('transport close', { ...clean(1005, 'client'), [A.ATTR_EVENT_LOOP_STALL_MS]: 35_000 })),
    },
    cause: 'client_heartbeat_timeout',
    rule: 'app.client_heartbeat',
    mentions: ['no ping from the server', 'the server saw close code 1005'],
  },
  {
    name: 'socket.io: the server froze; only the server agent knows the client, a browser, left in the stall',
    input: {
      client: browserOpen({ ...clean(1005, 'client'), [A.ATTR_URL_FULL]: SOCKET_IO_URL }),
      server: sioServer(socketIo('transport close', { ...clean(1005, 'client'), ...HEARTBEAT_SETTINGS, [A.ATTR_EVENT_LOOP_STALL_MS]: 35_000 })),
    },
    cause: 'client_heartbeat_timeout',
    rule: 'app.client_heartbeat',
    mentions: ['stalled for 35.0 s', 'pingTimeout 20.0 s', 'without leaving'],
  },
  {
    name: 'socket.io: the server froze and fired its own ping timeout on resume; the client had given up first',
    input: {
      client: sioNodeClient(socketIo('ping timeout', clean(1005, 'client'))),
      server: sioServer(socketIo('ping timeout', { ...clean(1005, 'server'), ...HEARTBEAT_SETTINGS, [A.ATTR_EVENT_LOOP_STALL_MS]: 35_000 })),
    },
    cause: 'client_heartbeat_timeout',
    rule: 'app.client_heartbeat',
    mentions: ['"ping timeout"'],
  },
  {
    name: 'socket.io: a short server stall made the server miss a pong; the client was fine',
    input: {
      client: sioNodeClient(socketIo('transport close', clean(1005, 'server'))),
      server: sioServer(socketIo('ping timeout', { ...clean(1005, 'server'), ...HEARTBEAT_SETTINGS, [A.ATTR_EVENT_LOOP_STALL_MS]: 3_000 })),
    },
    cause: 'server_heartbeat_timeout',
    rule: 'app.server_heartbeat',
    mentions: ['stalled for 3.0 s', 'may have sat unread'],
  },
  {
    name: 'socket.io: a stalled server whose client left on purpose is a leave, not a heartbeat',
    input: {
      client: browserOpen({ ...clean(1005, 'client'), [A.ATTR_URL_FULL]: SOCKET_IO_URL }),
      server: sioServer(socketIo('client namespace disconnect', { ...clean(1005, 'client'), [A.ATTR_EVENT_LOOP_STALL_MS]: 35_000 })),
    },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['client namespace disconnect'],
  },
  {
    name: 'plain ws: a server stall before a client close says nothing about a client heartbeat',
    input: {
      client: browserOpen(clean(1000, 'client')),
      server: serverOpen({ ...clean(1000, 'client'), [A.ATTR_TERMINATION]: 'close', [A.ATTR_EVENT_LOOP_STALL_MS]: 35_000 }),
    },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['1000'],
  },
  {
    name: 'socket.io: a middleware refused the client with next(new Error("unauthorized"))',
    input: {
      client: sioNodeClient(socketIo(undefined, { ...clean(1005, 'client'), [A.ATTR_APP_CONNECT_ERROR]: 'unauthorized' })),
      server: sioServer(
        socketIo('transport close', { ...clean(1005, 'client'), [A.ATTR_APP_CONNECT_ERROR]: 'unauthorized', [A.ATTR_CAUSE_HINT]: 'app_connect_rejected' }),
      ),
    },
    cause: 'app_connect_rejected',
    rule: 'app.connect_rejected',
    mentions: ['CONNECT_ERROR "unauthorized"', 'initiated by the client'],
  },
  {
    name: 'socket.io: a browser was refused at connect; the browser saw only its own clean leave',
    input: {
      client: browserOpen({ ...clean(1005, 'client'), [A.ATTR_URL_FULL]: SOCKET_IO_URL }),
      server: sioServer(socketIo('transport close', { ...clean(1005, 'client'), [A.ATTR_APP_CONNECT_ERROR]: 'Invalid namespace' })),
    },
    cause: 'app_connect_rejected',
    rule: 'app.connect_rejected',
    mentions: ['Invalid namespace', 'socket.io connect'],
  },
  {
    name: 'socket.io: io.close() shut the server down',
    input: {
      client: sioNodeClient(socketIo('transport close', clean(1005, 'server'))),
      server: sioServer(socketIo('server shutting down', { ...clean(1005, 'server'), [A.ATTR_CAUSE_HINT]: 'server_shutdown' })),
    },
    cause: 'server_shutdown',
    rule: 'server.shutdown',
    mentions: ['server shutting down', 'recorded a shutdown'],
  },
  {
    name: 'socket.io: the server kicked the client with socket.disconnect(true)',
    input: {
      client: sioNodeClient(socketIo('io server disconnect', clean(1005, 'server'))),
      server: sioServer(socketIo('server namespace disconnect', clean(1005, 'server'))),
    },
    cause: 'application_close',
    rule: 'app.server_disconnect',
    mentions: ['"server namespace disconnect"', 'socket.disconnect()', '"io server disconnect"'],
  },
  {
    name: 'socket.io: the client left with socket.disconnect()',
    input: {
      client: sioNodeClient(socketIo('io client disconnect', clean(1005, 'client'))),
      server: sioServer(socketIo('client namespace disconnect', clean(1005, 'client'))),
    },
    cause: 'normal_closure',
    rule: 'close.normal',
    mentions: ['"io client disconnect"', '"client namespace disconnect"', 'initiated by the client'],
  },
  {
    name: 'socket.io: the client process was killed; the server alone saw its socket end',
    input: { server: serverOpen(socketIo('transport close')) },
    cause: 'connection_lost',
    rule: 'network.connection_lost',
    mentions: ['socket_end', 'the socket.io server reported "transport close"'],
  },
  {
    name: 'engine.io: the client sent a packet the server could not decode',
    input: { server: sioServer({ ...socketIo('parse error', clean(1005, 'server')), [A.ATTR_APP_PROTOCOL]: 'engine.io' }) },
    cause: 'server_rejected_frame',
    rule: 'app.parse_error',
    mentions: ['"parse error"', 'the engine.io server'],
  },
  {
    name: 'graphql-ws: the server closed with 4401 at init',
    input: {
      client: graphqlBrowser({ ...clean(4401, 'server'), [A.ATTR_CLOSE_REASON]: 'Unauthorized' }),
      server: graphqlServer({ ...clean(4401, 'server'), [A.ATTR_CLOSE_REASON]: 'Unauthorized' }),
    },
    cause: 'app_connect_rejected',
    rule: 'app.close_code',
    mentions: ['In graphql-ws, 4401 Unauthorized', 'initiated by the server'],
  },
  {
    name: 'graphql-ws: no ConnectionInit within connectionInitWaitTimeout (4408)',
    input: { server: graphqlServer({ ...clean(4408, 'server'), [A.ATTR_CLOSE_REASON]: 'Connection initialisation timeout' }) },
    cause: 'app_init_timeout',
    rule: 'app.close_code',
    mentions: ['4408 Connection Initialisation Timeout', 'connectionInitWaitTimeout'],
  },
  {
    name: 'graphql-ws: the client gave up waiting for ConnectionAck (4504)',
    input: { client: graphqlBrowser({ ...clean(4504, 'client'), [A.ATTR_CLOSE_REASON]: 'Connection acknowledgement timeout' }) },
    cause: 'app_init_timeout',
    rule: 'app.close_code',
    mentions: ['4504 Connection Acknowledgement Timeout'],
  },
  {
    name: 'graphql-ws: an exception on the server (4500)',
    input: { server: graphqlServer({ ...clean(4500, 'server'), [A.ATTR_CLOSE_REASON]: 'boom' }) },
    cause: 'server_terminated',
    rule: 'app.close_code',
    mentions: ['4500 Internal Server Error', 'boom'],
  },
  {
    name: 'graphql-ws: the client sent a message the server could not parse (4400)',
    input: { server: graphqlServer({ ...clean(4400, 'server'), [A.ATTR_CLOSE_REASON]: 'Invalid message received' }) },
    cause: 'server_rejected_frame',
    rule: 'app.close_code',
    mentions: ['4400 Bad Request'],
  },
  {
    name: 'graphql-ws: a client without the subprotocol, recognised by the reason of 4406',
    input: {
      server: serverOpen({
        ...clean(4406, 'server'),
        [A.ATTR_TERMINATION]: 'close',
        [A.ATTR_SUBPROTOCOL]: '',
        [A.ATTR_CLOSE_REASON]: 'Subprotocol not acceptable',
      }),
    },
    cause: 'handshake_subprotocol_mismatch',
    rule: 'app.close_code',
    mentions: ['4406 Subprotocol Not Acceptable'],
  },
  {
    name: "an application's own 4401 without graphql-ws stays the application's",
    input: {
      client: browserOpen({ ...clean(4401, 'server'), [A.ATTR_CLOSE_REASON]: 'token expired' }),
      server: serverOpen({ ...clean(4401, 'server'), [A.ATTR_TERMINATION]: 'close', [A.ATTR_CLOSE_REASON]: 'token expired' }),
    },
    cause: 'application_close',
    rule: 'close.application_code',
    mentions: ['4401', 'token expired'],
  },
  {
    name: 'graphql-ws: a server code sent by the client is not the protocol’s',
    input: { client: graphqlBrowser({ ...clean(4403, 'client'), [A.ATTR_CLOSE_REASON]: 'mine' }) },
    cause: 'application_close',
    rule: 'close.application_code',
    mentions: ['4403'],
  },
];
