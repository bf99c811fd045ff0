import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SUBPROTOCOLS_REQUESTED,
  ATTR_URL_FULL,
  ATTR_USER_AGENT,
  SPAN_NAME_CONNECTION,
} from '@closewatch/conventions';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { liveConnections, type ActiveAgent } from './agent-state.js';
import { ConnectionRecord } from './connection-record.js';
import { takeUpgradeParent } from './correlation.js';
import { awaitResponse } from './handshake-response.js';
import { installProcessExitHooks } from './process-exit.js';
import { listenToSocket } from './socket-listeners.js';
import { recordOf, setRecordOf } from './connection-records.js';
import { urlAttributes } from './url-attributes.js';

type UpgradeSocket = Duplex & { encrypted?: boolean; localPort?: number; remoteAddress?: string };

/** `host:port` or `[v6]:port` → [address, port]. */
function splitHost(host: string): [string, number | undefined] {
  const colon = host.lastIndexOf(':');
  if (colon < 0 || colon < host.lastIndexOf(']')) return [host, undefined];
  const port = Number(host.slice(colon + 1));
  return [host.slice(0, colon), Number.isInteger(port) && colon < host.length - 1 ? port : undefined];
}

function listOfProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((protocol) => protocol.trim()).filter((protocol) => protocol !== '');
}

function upgradeAttributes(agent: ActiveAgent, req: IncomingMessage, socket: UpgradeSocket): Attributes {
  const config = agent.getConfig();
  const path = req.url ?? '/';
  const host = req.headers.host ?? '';
  const [address, port] = splitHost(host);
  const { url, route } = urlAttributes(`${socket.encrypted ? 'wss' : 'ws'}://${host}${path}`, path, config.secretParams, config.routePatterns);
  const attributes: Attributes = {
    [ATTR_URL_FULL]: url,
    [ATTR_ROUTE]: route,
    [ATTR_SUBPROTOCOLS_REQUESTED]: listOfProtocols(req.headers['sec-websocket-protocol']),
  };
  if (address) attributes[ATTR_SERVER_ADDRESS] = address;
  // Without a port in Host, the one the socket listens on (a getsockname call, so only then).
  const serverPort = port ?? socket.localPort;
  if (serverPort !== undefined) attributes[ATTR_SERVER_PORT] = serverPort;
  if (socket.remoteAddress) attributes[ATTR_CLIENT_ADDRESS] = socket.remoteAddress;
  const userAgent = req.headers['user-agent'];
  if (userAgent) attributes[ATTR_USER_AGENT] = userAgent;
  return attributes;
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
  const record = new ConnectionRecord('server', span, upgradeAttributes(agent, req, socket));
  record.protocolsRequested = listOfProtocols(req.headers['sec-websocket-protocol']).length > 0;
  setRecordOf(socket, record);
  liveConnections.add(record);
  awaitResponse(record);
  listenToSocket(socket);
  installProcessExitHooks(agent);
  return record;
}

/** True for an HTTP upgrade request asking for the WebSocket protocol. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}
