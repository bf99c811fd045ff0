import type { ClientRequest } from 'node:http';
import {
  ATTR_PROPAGATED,
  ATTR_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SUBPROTOCOLS_REQUESTED,
  ATTR_URL_FULL,
  SPAN_NAME_CONNECTION,
  formatTraceparent,
} from '@closewatch/conventions';
import { SpanKind, TraceFlags, context, type Attributes } from '@opentelemetry/api';
import { activeAgent, liveConnections, type ActiveAgent } from './agent-state.js';
import { ConnectionRecord } from './connection-record.js';
import { recordOf, setRecordOf } from './connection-records.js';
import { patchAccessor } from './method-patch.js';
import { installProcessExitHooks } from './process-exit.js';
import { urlAttributes } from './url-attributes.js';
import type { WsSocketInternals } from './ws-internals.js';

type ClientWebSocket = WsSocketInternals;

const TRACEPARENT = 'traceparent';

function clientAttributes(agent: ActiveAgent, ws: ClientWebSocket, request: ClientRequest): Attributes {
  const config = agent.getConfig();
  const attributes: Attributes = {};
  const address = ws._url ?? '';
  const { url, route } = urlAttributes(address, address, config.secretParams, config.routePatterns);
  attributes[ATTR_URL_FULL] = url;
  attributes[ATTR_ROUTE] = route;
  const host = request.host;
  if (host) attributes[ATTR_SERVER_ADDRESS] = host;
  const port = Number(/^wss?:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/.exec(address)?.[1] ?? (address.startsWith('wss:') ? 443 : 80));
  attributes[ATTR_SERVER_PORT] = port;
  const protocols = request.getHeader('sec-websocket-protocol');
  attributes[ATTR_SUBPROTOCOLS_REQUESTED] = typeof protocols === 'string' && protocols !== '' ? protocols.split(',') : [];
  return attributes;
}

/** Puts the client span's context in the upgrade request, so the server span becomes its child. */
function injectTraceparent(record: ConnectionRecord, request: ClientRequest): boolean {
  if (request.headersSent) return false;
  const spanContext = record.span.spanContext();
  const sampled = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  request.setHeader(TRACEPARENT, formatTraceparent({ traceId: spanContext.traceId, spanId: spanContext.spanId, sampled }));
  return true;
}

/** Starts the CLIENT span when ws creates the upgrade request, inside the WebSocket constructor. */
function beginClientConnection(agent: ActiveAgent, ws: ClientWebSocket, request: ClientRequest): void {
  const span = agent.tracer.startSpan(SPAN_NAME_CONNECTION, { kind: SpanKind.CLIENT }, context.active());
  const attributes = clientAttributes(agent, ws, request);
  const record = new ConnectionRecord('client', span, attributes);
  setRecordOf(ws, record);
  record.websocket = ws;
  liveConnections.add(record);
  const propagated = agent.getConfig().propagateFromClient !== false && injectTraceparent(record, request);
  attributes[ATTR_PROPAGATED] = propagated;
  installProcessExitHooks(agent);
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
