import type { RoutePattern } from '@closewatch/conventions';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options of `new WsInstrumentation(config)`. */
export interface WsInstrumentationConfig extends InstrumentationConfig {
  /**
   * Start the server span when an http/https server emits `upgrade`, before ws or the app's own
   * `upgrade` listener runs, so `noServer` apps that answer `401` themselves are recorded. Default true.
   */
  captureHttpUpgrades?: boolean;
  /** Query parameter name fragments to redact in `url.full`, on top of the built-in list. Default []. */
  secretParams?: string[];
  /** Route patterns applied before the built-in `normalizeRoute` rules. Default []. */
  routePatterns?: RoutePattern[];
  /** Record a CLIENT span for every `ws` client connection this process opens. Default true. */
  instrumentClients?: boolean;
  /** Add a `traceparent` header to the upgrade request of `ws` clients. Default true. */
  propagateFromClient?: boolean;
  /** End open spans with `process_exit` and export them on SIGTERM, SIGINT, beforeExit and exit (process.exit(), uncaught exceptions). Default true. */
  handleProcessExit?: boolean;
  /** Longest wait for the export at process exit, in ms. Default 2000. */
  exitFlushTimeoutMs?: number;
}

/** Options of `shutdownGracefully()`. */
export interface ShutdownOptions {
  /** Close code sent to every client. Default 1012 (Service Restart). */
  code?: number;
  /** Close reason, truncated to 123 bytes. Default 'server restart'. */
  reason?: string;
  /** Longest wait for the closing handshakes and the span export, in ms. Default 5000. */
  timeoutMs?: number;
}

/** What `shutdownGracefully()` did. */
export interface ShutdownResult {
  /** Connections that finished their closing handshake in time. */
  closed: number;
  /** Connections terminated after the timeout. */
  terminated: number;
}
