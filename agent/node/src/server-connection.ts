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

function noteUpgradeRequest(record: ConnectionRecord, agent: ActiveAgent, req: IncomingMessage, socket: UpgradeSocket): void {
  const config = agent.getConfig();
  const path = req.url ?? '/';
  const host = req.headers.host ?? '';
  const [address, port] = splitHost(host);
  const { url, route } = urlAttributes(`${socket.encrypted ? 'wss' : 'ws'}://${host}${path}`, path, config.secretParams, config.routePatterns);
  record.url = url;
  record.route = route;
  record.subprotocolsRequested = listOfProtocols(req.headers['sec-websocket-protocol']);
  record.protocolsRequested = record.subprotocolsRequested.length > 0;
  if (address) record.serverAddress = address;
  // Without a port in Host, the one the socket listens on (a getsockname call, so only then).
  record.serverPort = port ?? socket.localPort;
  record.clientAddress = socket.remoteAddress;
  record.userAgent = req.headers['user-agent'];
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
  return typeof upgrade === 'string' && upgrade.toLowerCase() === 'websocket';
}
