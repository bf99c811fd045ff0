import {
  ATTR_BROWSER_FROZEN,
  ATTR_BROWSER_ONLINE,
  ATTR_BROWSER_ONLINE_AT_START,
  ATTR_BROWSER_PAGE_UNLOADING,
  ATTR_BROWSER_VISIBILITY_STATE,
  ATTR_BROWSER_WAS_HIDDEN,
  ATTR_BROWSER_WENT_OFFLINE,
  ATTR_BUFFERED_AMOUNT,
  ATTR_BYTES_RECEIVED,
  ATTR_BYTES_SENT,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_CLOSE_REASON,
  ATTR_CLOSE_WAS_CLEAN,
  ATTR_ERROR_TYPE,
  ATTR_EXTENSIONS,
  ATTR_HANDSHAKE_DURATION_MS,
  ATTR_IDLE_BEFORE_CLOSE_MS,
  ATTR_MESSAGES_RECEIVED,
  ATTR_MESSAGES_SENT,
  ATTR_NETWORK_EFFECTIVE_TYPE,
  ATTR_OPEN_DURATION_MS,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_SUBPROTOCOL,
  EVENT_ERROR,
  EVENT_OPEN,
  SPAN_KIND_CLIENT,
  SPAN_NAME_CONNECTION,
  randomSpanId,
  randomTraceId,

} from '@closewatch/conventions';
import { agentErrors } from './agent-errors.js';
import { connectionsBySocket, liveConnections } from './connection-registry.js';
import { keyValues, nowUnixNano, type Attributes } from './otlp-values.js';
import { utf8Length } from './utf8-length.js';

/** One WebSocket connection attempt, recorded as one `websocket.connection` span. */
export interface Connection {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
  /** Arguments for the native constructor; the URL may carry `__cw`. */
  nativeArgs: unknown[];
  /** The `__cw` text appended to the URL ('' when not propagated), hidden again from `url` reads. */
  correlation: string;
  /** The absolute URL requested, `__cw` included, to match CSP reports against. */
  requestedUrl: string;
  /** Starts watching the socket the native constructor returned. */
  attach(socket: WebSocket): void;
  /** The native constructor threw (invalid URL or protocols, blocked port, mixed content). */
  fail(error: unknown): void;
  /** Adds a span event; `flag` names a boolean attribute that becomes true. */
  note(name: string, flag?: string, attributes?: Attributes): void;
  /** send() queued a message of `bytes` bytes. */
  countSent(bytes: number): void;
  /** The app called close() while CONNECTING or OPEN. */
  closeCalled(): void;
  /** Ends the span once; no `code` when there was no close event (constructor failure, CSP block, unload). */
  end(code?: number, reason?: string, wasClean?: boolean): void;
}

/** An OTLP/JSON Span, ready to be serialised. */
export type OtlpSpan = object;

/** WebSocket.CLOSED. */
const CLOSED = 3;
/** OTLP status code ERROR: the connection did not close cleanly. */
const STATUS_ERROR = 2;

const now = () => performance.now();

/** Starts the span of one connection attempt; `sink` receives it, encoded, when it ends. */
export function createConnection(sink: (span: OtlpSpan) => void): Connection {
  const startedAt = now();
  const startTimeUnixNano = nowUnixNano();
  const events: object[] = [];
  const network = (navigator as { connection?: { effectiveType?: string } }).connection;
  const attributes: Attributes = {
    [ATTR_BROWSER_ONLINE_AT_START]: navigator.onLine,
    [ATTR_BROWSER_WENT_OFFLINE]: false,
    [ATTR_BROWSER_WAS_HIDDEN]: document.hidden,
    [ATTR_BROWSER_FROZEN]: false,
    [ATTR_BROWSER_PAGE_UNLOADING]: false,
    [ATTR_NETWORK_EFFECTIVE_TYPE]: network?.effectiveType,
  };
  let socket: WebSocket | undefined;
  let openedAt = 0;
  /** Date.now() of the last frame either way: per-message timing must be cheap, and ms is enough for idle time. */
  let lastFrameAt = 0;
  let messagesSent = 0;
  let messagesReceived = 0;
  let bytesSent = 0;
  let bytesReceived = 0;
  let ended = false;
  let closeCalled = false;
  // A socket already CLOSED when constructed was refused by the browser (CSP): no close event follows.
  let blocked = false;

  /** The hot path: kept to one data read and a clock that needs no call into the browser. */
  function socketOnMessage(event: MessageEvent): void {
    try {
      const data = event.data;
      messagesReceived++;
      bytesReceived += typeof data === 'string' ? utf8Length(data) : data.byteLength ?? data.size;
      lastFrameAt = Date.now();
    } catch {
      agentErrors.count++;
    }
  }

  function socketOnLifecycle(event: Event): void {
    // Events the app dispatches itself say nothing about the connection.
    if (!event.isTrusted) return;
    try {
      if (event.type === 'open') {
        openedAt = now();
        lastFrameAt = Date.now();
        connection.note(EVENT_OPEN);
      } else if (event.type === 'error') {
        connection.note(EVENT_ERROR);
        if (blocked) connection.end();
      } else {
        const { code, reason, wasClean } = event as CloseEvent;
        connection.end(code, reason, wasClean);
      }
    } catch {
      agentErrors.count++;
    }
  }

  const connection: Connection = {
    traceId: randomTraceId(),
    spanId: randomSpanId(),
    attributes,
    nativeArgs: [],
    correlation: '',
    requestedUrl: '',
    attach(created) {
      socket = created;
      connectionsBySocket.set(created, connection);
      liveConnections.add(connection);
      blocked = created.readyState === CLOSED;
      created.addEventListener('message', socketOnMessage);
      for (const type of ['open', 'error', 'close']) created.addEventListener(type, socketOnLifecycle);
    },
    fail(error) {
      attributes[ATTR_ERROR_TYPE] = (error as Error)?.name;
      connection.end();
    },
    note(name, flag, eventAttributes = {}) {
      events.push({ timeUnixNano: nowUnixNano(), name, attributes: keyValues(eventAttributes) });
      if (flag) attributes[flag] = true;
    },
    countSent(bytes) {
      messagesSent++;
      bytesSent += bytes;
      lastFrameAt = Date.now();
    },
    closeCalled() {
      closeCalled = true;
    },
    end(code, reason, wasClean) {
      if (ended) return;
      ended = true;
      liveConnections.delete(connection);
      const endedAt = now();
      const opened = openedAt > 0;
      if (code) {
        attributes[ATTR_CLOSE_CODE] = code;
        attributes[ATTR_CLOSE_REASON] = reason;
        attributes[ATTR_CLOSE_WAS_CLEAN] = wasClean;
      }
      attributes[ATTR_CLOSE_INITIATOR] = closeCalled ? 'client' : wasClean ? 'server' : 'unknown';
      attributes[ATTR_PHASE] = !opened ? 'handshake' : closeCalled ? 'closing' : 'open';
      attributes[ATTR_OPENED] = opened;
      attributes[ATTR_HANDSHAKE_DURATION_MS] = (openedAt || endedAt) - startedAt;
      if (opened) {
        attributes[ATTR_OPEN_DURATION_MS] = endedAt - openedAt;
        attributes[ATTR_IDLE_BEFORE_CLOSE_MS] = Date.now() - lastFrameAt;
      }
      if (socket) {
        attributes[ATTR_SUBPROTOCOL] = socket.protocol;
        attributes[ATTR_EXTENSIONS] = socket.extensions;
        attributes[ATTR_BUFFERED_AMOUNT] = socket.bufferedAmount;
      }
      attributes[ATTR_MESSAGES_SENT] = messagesSent;
      attributes[ATTR_MESSAGES_RECEIVED] = messagesReceived;
      attributes[ATTR_BYTES_SENT] = bytesSent;
      attributes[ATTR_BYTES_RECEIVED] = bytesReceived;
      attributes[ATTR_BROWSER_ONLINE] = navigator.onLine;
      attributes[ATTR_BROWSER_VISIBILITY_STATE] = document.visibilityState;
      sink({
        traceId: connection.traceId,
        spanId: connection.spanId,
        name: SPAN_NAME_CONNECTION,
        kind: SPAN_KIND_CLIENT,
        startTimeUnixNano,
        endTimeUnixNano: nowUnixNano(),
        attributes: keyValues(attributes),
        events,
        status: wasClean ? {} : { code: STATUS_ERROR },
      });
    },
  };
  return connection;
}
