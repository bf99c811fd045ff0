import type { OtlpSpan } from './connection.js';
import { guarded } from './agent-errors.js';
import type { ResolvedOptions } from './options.js';
import { keyValues, type Attributes } from './otlp-values.js';
import { retryDelayMs } from './retry-delay.js';
import { utf8Length } from './utf8-length.js';
import { AGENT_NAME, AGENT_VERSION } from './version.js';

/** A batch is sent as soon as this many spans wait. */
const BATCH_SIZE = 50;
/** Spans kept while the collector is unreachable; beyond it the oldest are dropped and counted. */
const MAX_QUEUE = 200;
/** Browsers refuse keepalive/beacon bodies over 64 KiB in flight; stay below with room to spare. */
const MAX_UNLOAD_BYTES = 60_000;
/** Room left in an unload payload for the resource, scope and the commas between spans. */
const ENVELOPE_BYTES = 1000;

export interface ExporterStats {
  /** Spans waiting to be sent. */
  queued: number;
  /** Spans handed to the collector (accepted, or beaconed). */
  sent: number;
  /** Spans dropped because the queue was full. */
  dropped: number;
  /** Spans the collector refused with a 4xx. */
  rejected: number;
}

export interface Exporter {
  readonly stats: ExporterStats;
  add(span: OtlpSpan): void;
  flush(): void;
  /** The page may not run again: everything queued goes out now, by sendBeacon when it can. */
  flushOnLeave(): void;
  stop(): void;
}

/** Batches finished spans and sends them as OTLP/JSON, with backoff and `Retry-After`. */
export function createExporter(options: ResolvedOptions, resource: Attributes): Exporter {
  const queue: OtlpSpan[] = [];
  const stats: ExporterStats = { queued: 0, sent: 0, dropped: 0, rejected: 0 };
  const tracesUrl = `${options.endpoint}/v1/traces`;
  const beaconUrl = `${options.endpoint}/v1/beacon?key=${encodeURIComponent(options.key)}`;
  const headers = { 'content-type': 'application/json', 'x-closewatch-key': options.key };
  // Taken at start-up, before other scripts wrap them, so the agent's own requests are never instrumented.
  const post = fetch.bind(globalThis);
  const beacon = navigator.sendBeacon && navigator.sendBeacon.bind(navigator);
  const envelope = (spans: OtlpSpan[]) =>
    JSON.stringify({
      resourceSpans: [
        { resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope: { name: AGENT_NAME, version: AGENT_VERSION }, spans }] },
      ],
    });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let stopped = false;
  let retryAt = 0;
  let failures = 0;

  function schedule(delayMs: number): void {
    if (!timer && !stopped) timer = setTimeout(exportOnTimer, delayMs);
  }
  function exportOnTimer(): void {
    timer = undefined;
    guarded(flush);
  }
  function keepNewest(): void {
    const excess = queue.length - MAX_QUEUE;
    if (excess > 0) stats.dropped += queue.splice(0, excess).length;
    stats.queued = queue.length;
  }
  function settle(batch: OtlpSpan[], status: number, retryAfter: string | null): void {
    sending = false;
    if (status > 199 && status < 300) {
      stats.sent += batch.length;
      failures = 0;
    } else if (status > 399 && status < 500 && status !== 429 && status !== 408) {
      // The collector will never take this batch (bad data, bad key, too large).
      stats.rejected += batch.length;
    } else {
      retryAt = Date.now() + retryDelayMs(retryAfter, ++failures);
      queue.unshift(...batch);
      keepNewest();
    }
    if (queue.length) schedule(0);
  }
  function flush(): void {
    const waitMs = retryAt - Date.now();
    if (sending || stopped || !queue.length) return;
    if (waitMs > 0) return schedule(waitMs);
    const batch = queue.splice(0, BATCH_SIZE);
    const body = envelope(batch);
    stats.queued = queue.length;
    sending = true;
    post(tracesUrl, { method: 'POST', body, headers, keepalive: utf8Length(body) < MAX_UNLOAD_BYTES }).then(
      function exportAnswered(response) {
        guarded(() => settle(batch, response.status, response.headers.get('retry-after')));
      },
      function exportFailed() {
        guarded(() => settle(batch, 0, null));
      },
    );
  }
  function sendOnLeave(spans: OtlpSpan[]): void {
    const body = envelope(spans);
    stats.sent += spans.length;
    // sendBeacon cannot set headers: the key travels in the query, the body as text/plain.
    if (!(beacon && beacon(beaconUrl, body))) {
      post(tracesUrl, { method: 'POST', body, headers, keepalive: true }).catch(function leaveExportFailed() {
        stats.sent -= spans.length;
      });
    }
  }

  return {
    stats,
    add(span) {
      queue.push(span);
      keepNewest();
      if (queue.length < BATCH_SIZE) schedule(options.flushIntervalMs);
      else flush();
    },
    flush,
    flushOnLeave() {
      let batch: OtlpSpan[] = [];
      let bytes = 0;
      for (const span of queue.splice(0)) {
        const spanBytes = utf8Length(JSON.stringify(span));
        if (batch.length && bytes + spanBytes > MAX_UNLOAD_BYTES - ENVELOPE_BYTES) {
          sendOnLeave(batch);
          batch = [];
          bytes = 0;
        }
        batch.push(span);
        bytes += spanBytes;
      }
      if (batch.length) sendOnLeave(batch);
      stats.queued = 0;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
