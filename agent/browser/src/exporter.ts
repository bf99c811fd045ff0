import { CLOSE_NORMAL, CLOSE_NO_STATUS, RESOURCE_SERVICE_NAME } from '@closewatch/conventions';
import { agentErrors, guard } from './agent-errors.js';
import type { OtlpSpan } from './connection.js';
import { messageBytes } from './message-bytes.js';
import type { ResolvedOptions } from './options.js';
import { otlpJson } from './otlp-values.js';
import { retryDelayMs } from './retry-delay.js';
import { AGENT_NAME, AGENT_VERSION } from './version.js';

/** Clean, normal closes, with a code (1000) or without (1005, socket.io's leave): the only kind sampling may drop. */
/** A batch is sent as soon as this many spans wait. */
const BATCH_SIZE = 50;
/** Spans kept while the collector is unreachable; beyond it the oldest are dropped and counted. */
const MAX_QUEUE = 200;
/** Browsers refuse beacon and keepalive bodies over 64 KiB in flight; leave room for the envelope. */
const MAX_LEAVE_BYTES = 59_000;

/** Counters a page (or a test) can read to see what the agent did. */
export interface AgentStats {
  /** Spans waiting to be sent. */
  queued: number;
  /** Spans handed to the collector (accepted, or beaconed). */
  sent: number;
  /** Spans dropped: the queue was full, or the collector refused them with a 4xx. */
  dropped: number;
  /** Exceptions inside the agent that were swallowed. */
  errors: number;
}

export interface Exporter {
  stats(this: void): AgentStats;
  /** Queues a finished span, unless sampling drops it (only clean 1000 and 1005 closes may be dropped). */
  add_(this: void, span: OtlpSpan, closeCode?: number): void;
  flush(this: void): void;
  /** The page may not run again: everything queued goes out now, by sendBeacon when it can. */
  flushOnLeave_(this: void): void;
  /** Sends open-socket snapshots at once, beacon-safe (sendBeacon, else fetch keepalive); never queued or retried. */
  snapshot_(this: void, spans: OtlpSpan[]): void;
  stop_(): void;
}

/** Batches finished spans and sends them as OTLP/JSON, with backoff and `Retry-After`. */
export function createExporter({ endpoint, key, service, flushIntervalMs, sampleRate }: ResolvedOptions): Exporter {
  const queue: OtlpSpan[] = [];
  let sent = 0;
  let dropped = 0;
  // Taken at start-up, before other scripts wrap it, so the agent's own requests are never instrumented.
  const nativeFetch = fetch;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A request is in flight or waits to be retried: one at a time, so a retry keeps its place and its wait. */
  let busy = false;
  let stopped = false;
  let failures = 0;

  const beaconUrl = `${endpoint}/v1/beacon?key=${encodeURIComponent(key)}`;

  function requestBody(spans: OtlpSpan[]): string {
    return otlpJson({
      resourceSpans: [
        {
          resource: { attributes: { [RESOURCE_SERVICE_NAME]: service } },
          scopeSpans: [{ scope: { name: AGENT_NAME, version: AGENT_VERSION }, spans }],
        },
      ],
    });
  }
  /** Sends one OTLP/JSON request; `leaving` pages use sendBeacon (no headers: key in the query, text/plain body). */
  function send(spans: OtlpSpan[], leaving?: boolean): void {
    const body = requestBody(spans);
    if (leaving && navigator.sendBeacon(beaconUrl, body)) {
      sent += spans.length;
      return;
    }
    // A network error rejects with a TypeError, which has no status: like no answer at all.
    const exportAnswered = guard(function exportAnswered(response: Response): void {
      settle(spans, response.status, response.headers?.get('retry-after'), leaving);
    });
    nativeFetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-closewatch-key': key },
      keepalive: leaving,
    }).then(exportAnswered, exportAnswered);
  }
  function settle(batch: OtlpSpan[], status: number, retryAfter: string | null | undefined, leaving?: boolean): void {
    // Network errors, timeouts, throttling and server errors are worth a retry; other answers are final
    // (a 4xx will never be taken: bad data, key or size), and a leaving page has no later to retry in.
    const retry = !leaving && (!status || status > 499 || status == 429 || status == 408);
    let waitMs = 0;
    if (retry) {
      waitMs = retryDelayMs(retryAfter, failures++);
      queue.unshift(...batch);
      keepNewest();
    } else {
      failures = 0;
      if (status > 199 && status < 300) sent += batch.length;
      else dropped += batch.length;
    }
    if (!leaving) setTimeout(exportLater, waitMs, true);
  }
  /** The retry wait is over (`retrying`) or the flush interval is. */
  function exportLater(retrying?: boolean): void {
    if (retrying) busy = false;
    else timer = undefined;
    guardedFlush();
  }
  function keepNewest(): void {
    // splice() takes nothing for a negative count.
    dropped += queue.splice(0, queue.length - MAX_QUEUE).length;
  }
  const guardedFlush = guard(flush);
  function flush(): void {
    if (busy || stopped || !queue.length) return;
    busy = true;
    send(queue.splice(0, BATCH_SIZE));
  }

  return {
    stats: () => ({ queued: queue.length, sent, dropped, errors: agentErrors.count }),
    add_(span, closeCode) {
      // Sampling keeps every close but clean, normal ones.
      if ((closeCode == CLOSE_NORMAL || closeCode == CLOSE_NO_STATUS) && Math.random() >= sampleRate) return;
      queue.push(span);
      keepNewest();
      if (queue.length < BATCH_SIZE) timer ||= setTimeout(exportLater, flushIntervalMs);
      else flush();
    },
    flush,
    flushOnLeave_() {
      let batch: OtlpSpan[] = [];
      let bytes = 0;
      // Newest first: the browser caps what a leaving page may send, and the spans this unload ended
      // are the ones no later page view can report.
      for (const span of queue.splice(0).reverse()) {
        const spanBytes = messageBytes(otlpJson(span));
        if ((bytes += spanBytes) > MAX_LEAVE_BYTES && batch[0]) {
          send(batch, true);
          batch = [];
          bytes = spanBytes;
        }
        batch.push(span);
      }
      if (batch[0]) send(batch, true);
    },
    snapshot_(spans) {
      const body = requestBody(spans);
      // A snapshot lost is replaced by the next one: no retry, and a failed fetch is not the page's error.
      if (!stopped && !navigator.sendBeacon(beaconUrl, body))
        nativeFetch(beaconUrl, { method: 'POST', body, keepalive: true }).catch(function snapshotLost() {});
    },
    stop_() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
