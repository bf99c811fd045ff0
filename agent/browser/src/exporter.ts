import { guarded } from './agent-errors.js';
import type { OtlpSpan } from './connection.js';
import type { ResolvedOptions } from './options.js';
import { keyValues, type Attributes } from './otlp-values.js';
import { retryDelayMs } from './retry-delay.js';
import { utf8Length } from './utf8-length.js';
import { AGENT_NAME, AGENT_VERSION } from './version.js';

/** A batch is sent as soon as this many spans wait. */
const BATCH_SIZE = 50;
/** Spans kept while the collector is unreachable; beyond it the oldest are dropped and counted. */
const MAX_QUEUE = 200;
/** Browsers refuse beacon and keepalive bodies over 64 KiB in flight; leave room for the envelope. */
const MAX_LEAVE_BYTES = 59_000;

export interface ExporterStats {
  /** Spans waiting to be sent. */
  queued: number;
  /** Spans handed to the collector (accepted, or beaconed). */
  sent: number;
  /** Spans dropped: the queue was full, or the collector refused them with a 4xx. */
  dropped: number;
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
export function createExporter({ endpoint, key, flushIntervalMs }: ResolvedOptions, resource: Attributes): Exporter {
  const queue: OtlpSpan[] = [];
  const stats: ExporterStats = { queued: 0, sent: 0, dropped: 0 };
  // Taken at start-up, before other scripts wrap them, so the agent's own requests are never instrumented.
  const nativeFetch = fetch;
  const beacon = navigator.sendBeacon?.bind(navigator);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let stopped = false;
  let retryAt = 0;
  let failures = 0;

  /** Sends one OTLP/JSON request; `leaving` pages use sendBeacon (no headers: key in the query, text/plain body). */
  function send(spans: OtlpSpan[], leaving?: boolean): void {
    const body = JSON.stringify({
      resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope: { name: AGENT_NAME, version: AGENT_VERSION }, spans }] }],
    });
    stats.queued = queue.length;
    if (leaving && beacon?.(`${endpoint}/v1/beacon?key=${encodeURIComponent(key)}`, body)) {
      stats.sent += spans.length;
      return;
    }
    nativeFetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-closewatch-key': key },
      keepalive: leaving,
    }).then(
      function exportAnswered(response) {
        guarded(() => settle(spans, response.status, response.headers.get('retry-after'), leaving));
      },
      function exportFailed() {
        guarded(() => settle(spans, 0, null, leaving));
      },
    );
  }
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
  function settle(batch: OtlpSpan[], status: number, retryAfter: string | null, leaving?: boolean): void {
    // A leaving page has no later to retry in (and the browser caps the keepalive data it sends).
    if (leaving) {
      stats[status > 199 && status < 300 ? 'sent' : 'dropped'] += batch.length;
      return;
    }
    sending = false;
    if (status > 199 && status < 300) {
      stats.sent += batch.length;
      failures = 0;
    } else if (status > 399 && status < 500 && status !== 429 && status !== 408) {
      // The collector will never take this batch (bad data, bad key, too large).
      stats.dropped += batch.length;
    } else {
      retryAt = Date.now() + retryDelayMs(retryAfter, failures++);
      queue.unshift(...batch);
      keepNewest();
    }
    if (queue.length) schedule(0);
  }
  function flush(): void {
    const waitMs = retryAt - Date.now();
    if (sending || stopped || !queue.length) return;
    if (waitMs > 0) return schedule(waitMs);
    sending = true;
    send(queue.splice(0, BATCH_SIZE));
  }

  return {
    stats,
    add(span) {
      queue.push(span);
      keepNewest();
      if (queue.length < BATCH_SIZE) schedule(flushIntervalMs);
      else flush();
    },
    flush,
    flushOnLeave() {
      let batch: OtlpSpan[] = [];
      let bytes = 0;
      // Newest first: the browser caps what a leaving page may send, and the spans this unload ended
      // are the ones no later page view can report.
      for (const span of queue.splice(0).reverse()) {
        const spanBytes = utf8Length(JSON.stringify(span));
        if (batch[0] && bytes + spanBytes > MAX_LEAVE_BYTES) {
          send(batch, true);
          batch = [];
          bytes = 0;
        }
        batch.push(span);
        bytes += spanBytes;
      }
      if (batch[0]) send(batch, true);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
