import {
  ATTR_BROWSER_ONLINE,
  ATTR_BROWSER_ONLINE_AT_START,
  ATTR_BROWSER_VISIBILITY_STATE,
  ATTR_BROWSER_WAS_HIDDEN,
  ATTR_BUFFERED_AMOUNT,
  ATTR_BYTES_RECEIVED,
  ATTR_BYTES_SENT,
  ATTR_CLOSE_CALLED,
  ATTR_CLOSE_CODE,
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
  ATTR_PROPAGATED,
  ATTR_SINCE_LAST_RECEIVED_MS,
  ATTR_SINCE_LAST_SENT_MS,
  ATTR_SUBPROTOCOL,
  SPAN_KIND_CLIENT,
  SPAN_NAME_CONNECTION,
  SPAN_NAME_SNAPSHOT,
} from '@closewatch/conventions';
import { guard } from './agent-errors.js';
import { connectionsBySocket, liveConnections } from './connection-registry.js';
import { messageBytes, type MessageData } from './message-bytes.js';
import { nowUnixNano, type Attributes } from './otlp-values.js';
import { randomHex } from './random-hex.js';

/**
 * One WebSocket connection attempt, recorded as one `websocket.connection` span. Members end in `_`:
 * they are the agent's own, and the snippet's build shortens them.
 */
export interface Connection {
  readonly traceId_: string;
  readonly spanId_: string;
  readonly attributes_: Attributes;
  /** Arguments for the native constructor when the URL carries `__cw` (else the app's own). */
  nativeArgs_?: unknown[];
  /** The `__cw` text appended to the URL ('' when not propagated), hidden again from `url` reads. */
  correlation_: string;
  /** The absolute URL requested, `__cw` included, to match CSP reports against. */
  requestedUrl_: string;
  /** The app called close() while CONNECTING or OPEN. */
  closeCalled_?: boolean;
  /** Starts watching the socket the native constructor returned. */
  attach_(this: void, socket: WebSocket): void;
  /** The native constructor threw (invalid URL or protocols, blocked port, mixed content). */
  fail_(this: void, error: Error): void;
  /** Adds a span event; `flag` names a boolean attribute that becomes true. */
  note_(name: string, flag?: string | false, attributes?: Attributes): void;
  /** send() queued this message. */
  countSent_(data: Parameters<WebSocket['send']>[0]): void;
  /** A `websocket.snapshot` span of this socket with the page's state, or undefined unless it is open and propagated. */
  snapshot_(page: Attributes): OtlpSpan | undefined;
  /** Ends the span once; no `code` when there was no close event (constructor failure, CSP block, unload). */
  end_(code?: number, reason?: string, wasClean?: boolean): void;
}

/** An OTLP/JSON Span whose attributes are still a plain object (see otlpJson). */
export type OtlpSpan = object;

/** WebSocket.CLOSED. */
const CLOSED = 3;

/** Starts the span of one connection attempt; `sink` receives it when it ends (with the close code, if any). */
export function createConnection(sink: (span: OtlpSpan, closeCode?: number) => void): Connection {
  const startedAt = performance.now();
  const startTimeUnixNano = nowUnixNano();
  const events: object[] = [];
  const attributes: Attributes = {
    // Flags (went offline, frozen, unloading, propagated) are set once true: the collector reads absent as false.
    [ATTR_BROWSER_ONLINE_AT_START]: navigator.onLine,
    [ATTR_BROWSER_WAS_HIDDEN]: document.hidden,
    [ATTR_NETWORK_EFFECTIVE_TYPE]: (navigator as { connection?: { effectiveType?: string } }).connection?.effectiveType,
  };
  // Read at close; a constructor that threw leaves no socket, and these attributes undefined.
  let socket: Partial<WebSocket> = {};
  let openedAt = 0;
  /** Date.now() of the last frame either way: per-message timing must be cheap, and ms is enough for idle time. */
  let lastFrameAt = 0;
  /** Date.now() of the last send() and of the last message received, for snapshots (0: none yet). */
  let lastSentAt = 0;
  let lastReceivedAt = 0;
  let messagesSent = 0;
  let messagesReceived = 0;
  let bytesSent = 0;
  let bytesReceived = 0;
  // A socket already CLOSED when constructed was refused by the browser (CSP): no close event follows.
  let blocked = false;

  /** The hot path, one listener of its own: a count, the data's length and a cheap clock. */
  function socketOnMessage(event: MessageEvent<MessageData>): void {
    messagesReceived++;
    bytesReceived += messageBytes(event.data);
    lastFrameAt = lastReceivedAt = Date.now();
  }
  function socketOnEvent(event: Event): void {
    const type = event.type;
    // Events the app dispatches itself say nothing about the connection.
    if (!event.isTrusted) return;
    if (type == 'open') {
      openedAt = performance.now();
      lastFrameAt = Date.now();
    }
    if (type == 'close') {
      const close = event as CloseEvent;
      connection.end_(close.code, close.reason, close.wasClean);
    } else {
      // websocket.open, websocket.error: conventions' names. A blocked socket's error is its end.
      connection.note_('websocket.' + type);
      if (blocked) connection.end_();
    }
  }

  const connection: Connection = {
    traceId_: randomHex(16),
    spanId_: randomHex(8),
    attributes_: attributes,
    correlation_: '',
    requestedUrl_: '',
    attach_(created) {
      socket = created;
      connectionsBySocket.set(created, connection);
      blocked = created.readyState == CLOSED;
      created.addEventListener('message', guard(socketOnMessage));
      for (const type of ['open', 'error', 'close']) created.addEventListener(type, guard(socketOnEvent));
    },
    fail_(error) {
      attributes[ATTR_ERROR_TYPE] = error.name;
      connection.end_();
    },
    note_(name, flag, eventAttributes = {}) {
      events.push({ timeUnixNano: nowUnixNano(), name, attributes: eventAttributes });
      if (flag) attributes[flag] = true;
    },
    countSent_: guard(function countSent(data) {
      messagesSent++;
      bytesSent += messageBytes(data);
      lastFrameAt = lastSentAt = Date.now();
    }),
    snapshot_(page) {
      const now = Date.now();
      const time = nowUnixNano();
      // Only a socket the server can join: open, and carrying the trace context.
      if (openedAt && attributes[ATTR_PROPAGATED])
        return {
          traceId: connection.traceId_,
          spanId: randomHex(8),
          parentSpanId: connection.spanId_,
          name: SPAN_NAME_SNAPSHOT,
          kind: SPAN_KIND_CLIENT,
          startTimeUnixNano: time,
          endTimeUnixNano: time,
          attributes: {
            ...page,
            [ATTR_SINCE_LAST_SENT_MS]: lastSentAt ? now - lastSentAt : undefined,
            [ATTR_SINCE_LAST_RECEIVED_MS]: lastReceivedAt ? now - lastReceivedAt : undefined,
            [ATTR_BUFFERED_AMOUNT]: socket.bufferedAmount,
            [ATTR_MESSAGES_SENT]: messagesSent,
            [ATTR_MESSAGES_RECEIVED]: messagesReceived,
            [ATTR_BYTES_SENT]: bytesSent,
            [ATTR_BYTES_RECEIVED]: bytesReceived,
          },
        };
    },
    end_(code, reason, wasClean) {
      // A connection ends once: when it leaves the live set.
      if (!liveConnections.delete(connection)) return;
      const endedAt = performance.now();
      const opened = openedAt > 0;
      const closeCalled = connection.closeCalled_;
      // One literal (undefined values are not exported) in the order the span has always listed them.
      const closeAttributes: Attributes = {
        ...attributes,
        [ATTR_CLOSE_CODE]: code,
        [ATTR_CLOSE_REASON]: reason,
        [ATTR_CLOSE_WAS_CLEAN]: wasClean,
        // The collector derives websocket.phase and websocket.close.initiator from these three.
        [ATTR_CLOSE_CALLED]: closeCalled,
        [ATTR_OPENED]: opened,
        [ATTR_HANDSHAKE_DURATION_MS]: (openedAt || endedAt) - startedAt,
        [ATTR_OPEN_DURATION_MS]: opened ? endedAt - openedAt : undefined,
        [ATTR_IDLE_BEFORE_CLOSE_MS]: opened ? Date.now() - lastFrameAt : undefined,
        [ATTR_SUBPROTOCOL]: socket.protocol,
        [ATTR_EXTENSIONS]: socket.extensions,
        [ATTR_BUFFERED_AMOUNT]: socket.bufferedAmount,
        [ATTR_MESSAGES_SENT]: messagesSent,
        [ATTR_MESSAGES_RECEIVED]: messagesReceived,
        [ATTR_BYTES_SENT]: bytesSent,
        [ATTR_BYTES_RECEIVED]: bytesReceived,
        [ATTR_BROWSER_ONLINE]: navigator.onLine,
        [ATTR_BROWSER_VISIBILITY_STATE]: document.visibilityState,
      };
      sink(
        {
          traceId: connection.traceId_,
          spanId: connection.spanId_,
          name: SPAN_NAME_CONNECTION,
          kind: SPAN_KIND_CLIENT,
          startTimeUnixNano,
          endTimeUnixNano: nowUnixNano(),
          attributes: closeAttributes,
          events,
        },
        code,
      );
    },
  };
  liveConnections.add(connection);
  return connection;
}
