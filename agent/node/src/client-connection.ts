import type { ClientRequest } from 'node:http';
import { SPAN_NAME_CONNECTION, formatTraceparent } from '@closewatch/conventions';
import { SpanKind, TraceFlags, context } from '@opentelemetry/api';
import { activeAgent, liveConnections, type ActiveAgent } from './agent-state.js';
import { startCoarseClock } from './coarse-clock.js';
import { ConnectionRecord } from './connection-record.js';
import { recordOf, setRecordOf } from './connection-records.js';
import { patchAccessor } from './method-patch.js';
import { engineIoSessionFor } from './engine-io-session.js';
import { installProcessExitHooks } from './process-exit.js';
import { urlAttributes } from './url-attributes.js';
import type { WsSocketInternals } from './ws-internals.js';

type ClientWebSocket = WsSocketInternals;

const TRACEPARENT = 'traceparent';

function noteClientRequest(record: ConnectionRecord, agent: ActiveAgent, ws: ClientWebSocket, request: ClientRequest): void {
  const config = agent.getConfig();
  const address = ws._url ?? '';
  const { url, route } = urlAttributes(address, address, config.secretParams, config.routePatterns);
  record.url = url;
  record.route = route;
  record.serverAddress = request.host || undefined;
  record.serverPort = Number(/^wss?:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/.exec(address)?.[1] ?? (address.startsWith('wss:') ? 443 : 80));
  const protocols = request.getHeader('sec-websocket-protocol');
  record.subprotocolsRequested = typeof protocols === 'string' && protocols !== '' ? protocols.split(',') : [];
  record.app = engineIoSessionFor(address);
}

/** Puts the client span's context in the upgrade request, so the server span becomes its child. */
function injectTraceparent(record: ConnectionRecord, request: ClientRequest): boolean {
  if (request.headersSent) return false;
  const spanContext = record.span.spanContext();
  const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0;
  request.setHeader(TRACEPARENT, formatTraceparent({ traceId: spanContext.traceId, spanId: spanContext.spanId, sampled }));
  return true;
}

/** Starts the CLIENT span when ws creates the upgrade request, inside the WebSocket constructor. */
function beginClientConnection(agent: ActiveAgent, ws: ClientWebSocket, request: ClientRequest): void {
  const span = agent.tracer.startSpan(SPAN_NAME_CONNECTION, { kind: SpanKind.CLIENT }, context.active());
  const record = new ConnectionRecord('client', span);
  noteClientRequest(record, agent, ws, request);
  setRecordOf(ws, record);
  record.websocket = ws;
  liveConnections.add(record);
  record.propagated = agent.getConfig().propagateFromClient !== false && injectTraceparent(record, request);
  installProcessExitHooks(agent);
  startCoarseClock();
}

function isClientRequest(value: unknown): value is ClientRequest {
  return typeof value === 'object' && value !== null && typeof (value as ClientRequest).setHeader === 'function';
}

/**
 * ws assigns `websocket._req = request(opts)` in the constructor, before `req.end()`: the one moment
 * a header can still be added. The first assignment turns `_req` back into a plain own field.
 */
function setRequestRecord(this: ClientWebSocket, value: unknown): void {
  Object.defineProperty(this, '_req', { value, writable: true, configurable: true, enumerable: true });
  if (this._isServer !== false || recordOf(this) !== undefined || !isClientRequest(value)) return;
  const agent = activeAgent();
  if (!agent || agent.getConfig().instrumentClients === false) return;
  try {
    beginClientConnection(agent, this, value);
  } catch {
    // A failed span must never break the WebSocket constructor.
  }
}

function getRequestRecord(this: ClientWebSocket): unknown {
  return undefined;
}

export function patchClientRequestField(proto: object): void {
  patchAccessor(proto, '_req', { get: getRequestRecord, set: setRequestRecord });
}
