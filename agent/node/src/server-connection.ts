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
  normalizeRoute,
  scrubUrl,
} from '@closewatch/conventions';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { liveConnections, type ActiveAgent } from './agent-state.js';
import { ConnectionRecord, kRecord } from './connection-record.js';
import { takeUpgradeParent } from './correlation.js';
import { watchHandshakeResponse } from './handshake-response.js';
import { installProcessExitHooks } from './process-exit.js';
import { listenToSocket } from './socket-listeners.js';

type UpgradeSocket = Duplex & { [kRecord]?: ConnectionRecord; encrypted?: boolean; localPort?: number; remoteAddress?: string };

/** `host:port` or `[v6]:port` → [address, port]. */
function splitHost(host: string, fallbackPort: number | undefined): [string, number | undefined] {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
  if (!match) return [host, fallbackPort];
  return [match[1] ?? host, match[2] ? Number(match[2]) : fallbackPort];
}

function listOfProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((protocol) => protocol.trim()).filter((protocol) => protocol !== '');
}

function upgradeAttributes(agent: ActiveAgent, req: IncomingMessage, socket: UpgradeSocket): Attributes {
  const config = agent.getConfig();
  const path = req.url ?? '/';
  const host = req.headers.host ?? '';
  const [address, port] = splitHost(host, socket.localPort);
  const attributes: Attributes = {
    [ATTR_URL_FULL]: scrubUrl(`${socket.encrypted ? 'wss' : 'ws'}://${host}${path}`, { secretParams: config.secretParams }),
    [ATTR_ROUTE]: normalizeRoute(path, { patterns: config.routePatterns }),
    [ATTR_SUBPROTOCOLS_REQUESTED]: listOfProtocols(req.headers['sec-websocket-protocol']),
  };
  if (address) attributes[ATTR_SERVER_ADDRESS] = address;
  if (port !== undefined) attributes[ATTR_SERVER_PORT] = port;
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
  const existing = socket[kRecord];
  if (existing) return existing;
  const parent = takeUpgradeParent(req);
  const span = agent.tracer.startSpan(SPAN_NAME_CONNECTION, { kind: SpanKind.SERVER, attributes: upgradeAttributes(agent, req, socket) }, parent);
  const record = new ConnectionRecord('server', span);
  record.protocolsRequested = listOfProtocols(req.headers['sec-websocket-protocol']).length > 0;
  socket[kRecord] = record;
  liveConnections.add(record);
  watchHandshakeResponse(socket, record);
  listenToSocket(socket, record);
  installProcessExitHooks(agent);
  return record;
}

/** True for an HTTP upgrade request asking for the WebSocket protocol. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}
