import { performance } from 'node:perf_hooks';
import type { Initiator, Side, Termination } from '@closewatch/conventions';
import type { Span } from '@opentelemetry/api';
import type { EngineIoSession } from './engine-io-session.js';
import type { WsSocketInternals } from './ws-internals.js';

/**
 * Everything the agent learns about one connection until its span ends. Holds the `WebSocket`
 * only while the connection is live (for graceful shutdown), never the raw socket.
 */
export class ConnectionRecord {
  readonly side: Side;
  readonly span: Span;
  readonly startedAt = performance.now();
  openedAt = 0;
  lastFrameAt = 0;
  messagesSent = 0;
  messagesReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;
  lastPingSentAt = 0;
  lastPongReceivedAt = 0;
  /** Status of the HTTP response to the upgrade request, from the bytes written; 0 until seen. */
  responseStatus = 0;
  termination: Termination | undefined;
  initiator: Initiator | undefined;
  errorType: string | undefined;
  causeHint: string | undefined;
  /** Set while the connection is open; cleared when the span ends. */
  websocket: WsSocketInternals | undefined;
  /** The status line of the upgrade response has not been written yet. */
  awaitingResponse = false;
  /** When this side sent its close frame (performance.now()) and with which code; 0 until then. */
  closeSentAt = 0;
  closeSentCode: number | undefined;
  /** When the peer's close frame arrived and its code; 0 until then. */
  closeReceivedAt = 0;
  closeReceivedCode = 0;
  /** The client asked for subprotocols (Sec-WebSocket-Protocol). */
  protocolsRequested = false;
  ended = false;

  /**
   * What was known when the connection started, kept as plain fields and written to the span when it
   * ends: building attribute objects per connection cost more than the rest of the agent together.
   */
  url = '';
  route = '/';
  serverAddress: string | undefined;
  serverPort: number | undefined;
  clientAddress: string | undefined;
  userAgent: string | undefined;
  subprotocolsRequested: string[] = [];
  /** Client side: a traceparent header was added to the upgrade request. */
  propagated: boolean | undefined;
  /** engine.io / socket.io on top of this connection (its URL has `EIO=`), read frame by frame; else undefined. */
  app: EngineIoSession | undefined = undefined;

  constructor(side: Side, span: Span) {
    this.side = side;
    this.span = span;
  }

  get opened(): boolean {
    return this.openedAt !== 0;
  }

  /** The side that is not this one. */
  get peer(): Initiator {
    return this.side === 'server' ? 'client' : 'server';
  }

  noteFrame(): void {
    this.lastFrameAt = performance.now();
  }

  noteInitiator(initiator: Initiator): void {
    this.initiator ??= initiator;
  }

  noteTermination(termination: Termination): void {
    this.termination ??= termination;
  }

  noteError(errorType: string | undefined): void {
    if (errorType) this.errorType ??= errorType;
  }
}
