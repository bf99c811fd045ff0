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
  readonly queued: number;
  /** Spans handed to the collector (accepted, or beaconed). */
  sent: number;
  /** Spans dropped: the queue was full, or the collector refused them with a 4xx. */
  dropped: number;
}

export interface Exporter {
  readonly stats: ExporterStats;
  add_(span: OtlpSpan): void;
  flush(): void;
  /** The page may not run again: everything queued goes out now, by sendBeacon when it can. */
  flushOnLeave_(): void;
  stop_(): void;
}

/** Batches finished spans and sends them as OTLP/JSON, with backoff and `Retry-After`. */
export function createExporter({ endpoint, key, flushIntervalMs }: ResolvedOptions, resource: Attributes): Exporter {
  const queue: OtlpSpan[] = [];
  const stats: ExporterStats = {
    get queued() {
      return queue.length;
    },
    sent: 0,
    dropped: 0,
  };
  // Taken at start-up, before other scripts wrap them, so the agent's own requests are never instrumented.
  const nativeFetch = fetch;
  const beacon = navigator.sendBeacon?.bind(navigator);
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A request is in flight or waits to be retried: one at a time, so a retry keeps its place and its wait. */
  let busy = false;
  let stopped = false;
  let failures = 0;

  /** Sends one OTLP/JSON request; `leaving` pages use sendBeacon (no headers: key in the query, text/plain body). */
  function send(spans: OtlpSpan[], leaving?: boolean): void {
    const body = JSON.stringify({
      resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope: { name: AGENT_NAME, version: AGENT_VERSION }, spans }] }],
    });
    if (leaving && beacon?.(`${endpoint}/v1/beacon?key=${encodeURIComponent(key)}`, body)) {
      stats.sent += spans.length;
      return;
    }
    function exportAnswered(response?: Response): void {
      guarded(() => settle(spans, response?.status || 0, response?.headers.get('retry-after'), leaving));
    }
    nativeFetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-closewatch-key': key },
      keepalive: leaving,
    }).then(exportAnswered, () => exportAnswered());
  }
  function settle(batch: OtlpSpan[], status: number, retryAfter: string | null | undefined, leaving?: boolean): void {
    // Network errors, timeouts, throttling and server errors are worth a retry; other answers are final
    // (a 4xx will never be taken: bad data, key or size), and a leaving page has no later to retry in.
    const retry = !leaving && (!status || status > 499 || status === 429 || status === 408);
    const accepted = status > 199 && status < 300;
    let waitMs = 0;
    if (retry) {
      waitMs = retryDelayMs(retryAfter, failures++);
      queue.unshift(...batch);
      keepNewest();
    } else {
      failures = 0;
      stats[accepted ? 'sent' : 'dropped'] += batch.length;
    }
    if (!leaving) setTimeout(sendNext, waitMs);
  }
  function sendNext(): void {
    busy = false;
    guarded(flush);
  }
  function schedule(delayMs: number): void {
    timer ||= setTimeout(exportOnTimer, delayMs);
  }
  function exportOnTimer(): void {
    timer = undefined;
    guarded(flush);
  }
  function keepNewest(): void {
    // splice() takes nothing for a negative count.
    stats.dropped += queue.splice(0, queue.length - MAX_QUEUE).length;
  }
  function flush(): void {
    if (busy || stopped || !queue.length) return;
    busy = true;
    send(queue.splice(0, BATCH_SIZE));
  }

  return {
    stats,
    add_(span) {
      queue.push(span);
      keepNewest();
      if (queue.length < BATCH_SIZE) schedule(flushIntervalMs);
      else flush();
    },
    flush,
    flushOnLeave_() {
      let batch: OtlpSpan[] = [];
      let bytes = 0;
      // Newest first: the browser caps what a leaving page may send, and the spans this unload ended
      // are the ones no later page view can report.
      for (const span of queue.splice(0).reverse()) {
        const spanBytes = utf8Length(JSON.stringify(span));
        if ((bytes += spanBytes) > MAX_LEAVE_BYTES && batch[0]) {
          send(batch, true);
          batch = [];
          bytes = spanBytes;
        }
        batch.push(span);
      }
      if (batch[0]) send(batch, true);
    },
    stop_() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
