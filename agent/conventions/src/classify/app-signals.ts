import { describeAppCloseCode, type AppCloseCodeInfo } from '../app-close-codes.js';
import {
  APP_CLIENT_DISCONNECT_REASONS,
  APP_SERVER_DISCONNECT_REASONS,
  ENGINE_IO_PARSE_ERROR,
  ENGINE_IO_PING_TIMEOUT,
  SOCKET_IO_SERVER_SHUTTING_DOWN,
} from '../app-protocols.js';
import type { ClassifyContext } from './context.js';
import type { SideFacts } from './side-facts.js';
import { duration } from './wording.js';

/**
 * Facts of app protocols on top of WebSocket (socket.io / engine.io, graphql-ws): their own close
 * reasons, connect refusals, heartbeats and close codes. Each returns a sentence (the evidence) or null.
 */

/** engine.io's default pingTimeout: with the settings unknown, a server stall this long outlasts a client's heartbeat. */
const ENGINE_IO_DEFAULT_PING_TIMEOUT_MS = 20_000;

const protocolOf = (side: SideFacts) => side.appProtocol ?? 'the app protocol';

/** `the socket.io server`, `the engine.io client`: sentences start with it, so a lower-case name stays lower case. */
function frameworkOn(side: SideFacts): string {
  const protocol = side.appProtocol ?? 'app protocol';
  if (side.side === 'server') return `the ${protocol} server`;
  return side.who === 'the browser' ? `the ${protocol} client in the browser` : `the ${protocol} client`;
}
const isEngineIo = (side: SideFacts | undefined) => side?.appProtocol === 'socket.io' || side?.appProtocol === 'engine.io';

/** `socket.io on the server reported "ping timeout"`, or null when the side recorded no app reason. */
export function appReasonSentence(side: SideFacts): string | null {
  return side.appCloseReason ? `${frameworkOn(side)} reported "${side.appCloseReason}"` : null;
}

/** The app reasons every side recorded, as sentences, for rules whose own evidence is about codes. */
export function appReasons(ctx: ClassifyContext): string[] {
  return ctx.sides.map(appReasonSentence).filter((text): text is string => text !== null);
}

/** `(pingInterval 25.0 s, pingTimeout 20.0 s)` when the agent saw engine.io's open packet. */
function heartbeatSettings(side: SideFacts): string {
  if (side.appPingIntervalMs === undefined || side.appPingTimeoutMs === undefined) return '';
  return ` (pingInterval ${duration(side.appPingIntervalMs)}, pingTimeout ${duration(side.appPingTimeoutMs)})`;
}

/** The meaning of a side's close code under the app protocol it spoke, if that protocol defines it and the right end sent it. */
export function appCloseCodeOf(side: SideFacts): AppCloseCodeInfo | undefined {
  if (side.code === undefined || side.code < 4000) return undefined;
  const subprotocols = side.subprotocol ? [side.subprotocol, ...side.subprotocolsRequested] : side.subprotocolsRequested;
  const entry = describeAppCloseCode(side.code, { appProtocol: side.appProtocol, subprotocols, reason: side.reason });
  if (!entry) return undefined;
  const initiator = side.initiator;
  return initiator === undefined || initiator === 'unknown' || initiator === entry.sentBy ? entry : undefined;
}

export function appCloseCodeSide(ctx: ClassifyContext): SideFacts | undefined {
  return ctx.sides.find((side) => appCloseCodeOf(side) !== undefined);
}

/** `In graphql-ws, 4401 Unauthorized: …` (a sentence never starts with the protocol's lower-case name). */
export function appCloseCodeMeaning(entry: AppCloseCodeInfo): string {
  return `in ${entry.protocol}, ${entry.code} ${entry.name}: ${entry.meaning}`;
}

/** The side that saw the app protocol refuse the client at connect (socket.io CONNECT_ERROR). */
export function connectRefusalSide(ctx: ClassifyContext): SideFacts | undefined {
  return ctx.sides.find((side) => side.appConnectError !== undefined || side.hint === 'app_connect_rejected');
}

export function connectRefusalSentence(side: SideFacts): string {
  const message = side.appConnectError === undefined ? '' : ` "${side.appConnectError}"`;
  return side.side === 'server'
    ? `the server refused the client at its ${protocolOf(side)} connect with CONNECT_ERROR${message}`
    : `${side.who} received CONNECT_ERROR${message}: the server refused its ${protocolOf(side)} connect`;
}

/** The side whose framework reported that the server ended the session on purpose (socket.disconnect()). */
export function serverDisconnectSide(ctx: ClassifyContext): SideFacts | undefined {
  return ctx.sides.find((side) => side.appCloseReason !== undefined && APP_SERVER_DISCONNECT_REASONS.includes(side.appCloseReason));
}

export function parseErrorSignal(server: SideFacts | undefined): string | null {
  if (server?.appCloseReason !== ENGINE_IO_PARSE_ERROR) return null;
  return `${frameworkOn(server)} closed the connection with "parse error": the client sent a packet it could not decode`;
}

/** How long the side's event loop stalled, as a clause, or '' when its agent saw no stall. */
function stallClause(side: SideFacts): string {
  return side.eventLoopStallMs === undefined
    ? ''
    : `the server's event loop stalled for ${duration(side.eventLoopStallMs)} (no timer ran) just before the close`;
}

/** The server was stalled for longer than the client's heartbeat allows: the client had to give up. */
function stalledPastClientHeartbeat(server: SideFacts): boolean {
  const limit = server.appPingTimeoutMs ?? ENGINE_IO_DEFAULT_PING_TIMEOUT_MS;
  return server.eventLoopStallMs !== undefined && server.eventLoopStallMs >= limit;
}

const clientLeft = (side: SideFacts | undefined) => side?.appCloseReason !== undefined && APP_CLIENT_DISCONNECT_REASONS.includes(side.appCloseReason);

/**
 * The client gave up on the server's heartbeat: its framework said "ping timeout" (unless the server's
 * own ping timeout came first, with no stall of its own), or, with only the server's record of it, the
 * server stalled past the client's heartbeat budget and the client then closed without leaving.
 */
export function clientHeartbeatSignal(ctx: ClassifyContext): string | null {
  const { client, server } = ctx;
  const serverStalled = server !== undefined && isEngineIo(server) && stalledPastClientHeartbeat(server);
  if (client && (client.appCloseReason === ENGINE_IO_PING_TIMEOUT || client.hint === 'client_heartbeat_timeout')) {
    if (server?.appCloseReason === ENGINE_IO_PING_TIMEOUT && !serverStalled) return null;
    return `${frameworkOn(client)} closed the connection with "ping timeout": no ping from the server arrived within pingInterval + pingTimeout${heartbeatSettings(client)}`;
  }
  if (!server || !serverStalled || clientLeft(server) || serverDisconnectSide(ctx) !== undefined) return null;
  if (server.initiator !== 'client' && server.appCloseReason !== ENGINE_IO_PING_TIMEOUT) return null;
  const limit =
    server.appPingTimeoutMs === undefined
      ? `engine.io's default pingTimeout, ${duration(ENGINE_IO_DEFAULT_PING_TIMEOUT_MS)}`
      : `pingTimeout ${duration(server.appPingTimeoutMs)}`;
  return `${stallClause(server)}, longer than the client's heartbeat allows (${limit}), and the client ended the ${protocolOf(server)} connection without leaving`;
}

/** engine.io on the server closed the connection because its ping got no pong within pingTimeout. */
export function appServerHeartbeatSignal(server: SideFacts | undefined): string | null {
  if (!server || (server.appCloseReason !== ENGINE_IO_PING_TIMEOUT && !(isEngineIo(server) && server.hint === 'server_heartbeat_timeout'))) return null;
  const stall = server.eventLoopStallMs === undefined ? '' : `; ${stallClause(server)}, so the pong may have sat unread`;
  return `${frameworkOn(server)} closed the connection with "ping timeout": its ping got no pong within pingTimeout${heartbeatSettings(server)}${stall}`;
}

/** A shutdown recorded by the app protocol: socket.io's "server shutting down". */
export function appShutdownSide(ctx: ClassifyContext): SideFacts | undefined {
  return ctx.sides.find((side) => side.appCloseReason === SOCKET_IO_SERVER_SHUTTING_DOWN);
}
