import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SPAN_NAME_CONNECTION } from '@closewatch/conventions';
import { SpanKind } from '@opentelemetry/api';
import { liveConnections, type ActiveAgent } from './agent-state.js';
import { startCoarseClock } from './coarse-clock.js';
import { ConnectionRecord } from './connection-record.js';
import { takeUpgradeParent } from './correlation.js';
import { awaitResponse } from './handshake-response.js';
import { installProcessExitHooks } from './process-exit.js';
import { engineIoSessionFor } from './engine-io-session.js';
import { listenToSocket } from './socket-listeners.js';
import { recordOf, setRecordOf } from './connection-records.js';
import { upgradeHost, upgradeUrlAttributes } from './url-attributes.js';

type UpgradeSocket = Duplex & {
  encrypted?: boolean;
  localPort?: number;
  remoteAddress?: string;
  _peername?: { address?: string } | null;
  _handle?: { getpeername?(out: { address?: string }): number } | null;
};

function listOfProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((protocol) => protocol.trim())
    .filter((protocol) => protocol !== '');
}

/** Filled by `getpeername`: overwriting its fields is ~20% cheaper than a new object per connection. */
const peerName: { address?: string; family?: string; port?: number } = {};

/**
 * The peer's address from the socket's handle: `socket.remoteAddress` would cache it in a `_peername`
 * field that net sockets are not created with, giving every upgraded socket a new hidden class.
 */
function peerAddressOf(socket: UpgradeSocket): string | undefined {
  const cached = socket._peername;
  if (cached) return cached.address;
  const handle = socket._handle;
  if (!handle || typeof handle.getpeername !== 'function') return socket.remoteAddress;
  peerName.address = undefined;
  return handle.getpeername(peerName) === 0 ? peerName.address : undefined;
}

/**
 * The client behind the proxies, as OpenTelemetry's `client.address` asks for it: the first entry of
 * `X-Forwarded-For`, else the first `for=` of `Forwarded` (RFC 7239, quotes, brackets and port taken
 * off); undefined without either. Behind a proxy the socket's peer is only the proxy.
 */
export function forwardedClientAddress(headers: IncomingMessage['headers']): string | undefined {
  const xForwardedFor = headers['x-forwarded-for'];
  if (typeof xForwardedFor === 'string' && xForwardedFor !== '') {
    const comma = xForwardedFor.indexOf(',');
    const first = (comma === -1 ? xForwardedFor : xForwardedFor.slice(0, comma)).trim();
    if (first !== '') return first;
  }
  const forwarded = headers.forwarded;
  if (typeof forwarded !== 'string') return undefined;
  const match = /(?:^|[;,\s])for=("?)\[?([^\]",;\s]+)/i.exec(forwarded);
  if (!match) return undefined;
  const value = match[2];
  // `for="192.0.2.60:47011"`: the port goes; an IPv6 address came in brackets, which the pattern left out.
  return /^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value) ? value.slice(0, value.lastIndexOf(':')) : value;
}

function noteUpgradeRequest(record: ConnectionRecord, agent: ActiveAgent, req: IncomingMessage, socket: UpgradeSocket): void {
  const { secretParams, routePatterns } = agent.getConfig();
  const headers = req.headers;
  const host = upgradeHost(socket.encrypted === true, headers.host ?? '', secretParams, routePatterns);
  const { url, route } = upgradeUrlAttributes(host, req.url ?? '/', secretParams, routePatterns);
  record.url = url;
  record.route = route;
  record.subprotocolsRequested = listOfProtocols(headers['sec-websocket-protocol']);
  record.protocolsRequested = record.subprotocolsRequested.length > 0;
  if (host.address) record.serverAddress = host.address;
  // Without a port in Host, the one the socket listens on (a getsockname call, so only then).
  record.serverPort = host.port ?? socket.localPort;
  // A forwarded address is both the more useful one and free; only without one does the socket get asked (a syscall).
  record.clientAddress = forwardedClientAddress(headers) ?? peerAddressOf(socket);
  record.userAgent = headers['user-agent'];
  record.app = engineIoSessionFor(req.url ?? '');
}

/**
 * Starts the SERVER span of one upgrade attempt, the first time the agent sees the request
 * (http `upgrade` event or `handleUpgrade`), strips `__cw` and watches how the upgrade is answered.
 */
export function beginServerConnection(agent: ActiveAgent, req: IncomingMessage, socket: UpgradeSocket): ConnectionRecord {
  const existing = recordOf(socket);
  if (existing) return existing;
  const parent = takeUpgradeParent(req);
  const span = agent.tracer.startSpan(SPAN_NAME_CONNECTION, { kind: SpanKind.SERVER }, parent);
  const record = new ConnectionRecord('server', span);
  noteUpgradeRequest(record, agent, req, socket);
  setRecordOf(socket, record);
  liveConnections.add(record);
  awaitResponse(record);
  listenToSocket(socket);
  installProcessExitHooks(agent);
  startCoarseClock();
  return record;
}

/** True for an HTTP upgrade request asking for the WebSocket protocol. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  // Browsers and ws send it in lower case: only other spellings pay for a lower-cased copy.
  return upgrade === 'websocket' || (typeof upgrade === 'string' && upgrade.length === 9 && upgrade.toLowerCase() === 'websocket');
}
