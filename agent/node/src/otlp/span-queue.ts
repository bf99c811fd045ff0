import { diag } from '@opentelemetry/api';
import { DEFAULT_MAX_EXPORT_BATCH_SIZE, DEFAULT_MAX_QUEUE_SIZE, DEFAULT_SCHEDULED_DELAY_MS, type BatchSettings } from './export-settings.js';
import { exportTraceRequestBody } from './export-request.js';
import type { SendResult } from './otlp-http-sender.js';

/** Where the queue's export bodies go: an `OtlpHttpSender`, or anything that answers like one. */
export interface SpanSender {
  /** Posts one export body, retries included; resolves with how it ended, never rejects. */
  send(body: Uint8Array): Promise<SendResult>;
  shutdown?(): void;
}

export interface OtlpSpanQueueOptions extends Partial<BatchSettings> {
  /**
   * The encoded `Resource` message; a promise while resource detectors still run. Nothing is sent
   * before it resolves; should it reject, spans go with an empty resource.
   */
  resource: Uint8Array | Promise<Uint8Array>;
  /** What the exit hook sends as the resource while `resource` is still a pending promise: the part known at once. */
  provisionalResource?: Uint8Array;
  /** The encoded `InstrumentationScope` message. */
  scope: Uint8Array;
  sender: SpanSender;
}

/** Spans handed to one send: unsent until it ends, unless the exit hook took them first. */
interface Batch {
  spans: Uint8Array[];
  taken: boolean;
}

const EMPTY_RESOURCE = new Uint8Array(0);

/**
 * Encoded spans waiting to be exported, with the behaviour of the SDK's BatchSpanProcessor in front
 * of its OTLP exporter: a bounded queue (a span that finds it full is dropped and counted), batches of
 * `maxExportBatchSize` sent every `scheduledDelayMillis` or as soon as a full batch waits, one such
 * send at a time, and `forceFlush` sending everything at once. Its timers are unref'd: the queue never
 * keeps a process alive. At process exit `takeUnsentRequest` hands over, synchronously, every span
 * queued or still being sent (docs/design.md, "Spans at process exit").
 *
 * Diagnostics never throw and stay short: drops are reported once per batch period, failures once
 * per run of failed exports (until one succeeds again).
 */
export class OtlpSpanQueue {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;

  private readonly scope: Uint8Array;
  private readonly provisionalResource: Uint8Array;
  private readonly sender: SpanSender;
  private resource: Uint8Array | undefined;
  private readonly resourceReady: Promise<Uint8Array>;

  private queue: Uint8Array[] = [];
  /** Each batch being sent, with its send (settles when the send has ended, however). */
  private readonly inFlight = new Map<Batch, Promise<void>>();
  /** A scheduled (not forced) send is under way: the next waits for it, as in the SDK. */
  private exporting = false;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  private droppedCount = 0;
  private droppedSinceReport = 0;
  private failedCount = 0;
  private exportedCount = 0;
  private rejectedCount = 0;
  /** A failure was reported and no export succeeded since: stay quiet. */
  private troubleReported = false;

  constructor(options: OtlpSpanQueueOptions) {
    this.maxQueueSize = options.maxQueueSize ?? DEFAULT_MAX_QUEUE_SIZE;
    this.maxExportBatchSize = Math.max(1, Math.min(options.maxExportBatchSize ?? DEFAULT_MAX_EXPORT_BATCH_SIZE, this.maxQueueSize));
    this.scheduledDelayMillis = options.scheduledDelayMillis ?? DEFAULT_SCHEDULED_DELAY_MS;
    this.scope = options.scope;
    this.provisionalResource = options.provisionalResource ?? EMPTY_RESOURCE;
    this.sender = options.sender;
    if (options.resource instanceof Uint8Array) {
      this.resource = options.resource;
      this.resourceReady = Promise.resolve(options.resource);
    } else {
      this.resourceReady = options.resource.then(
        (bytes) => (this.resource = bytes),
        (error: unknown) => {
          diag.warn(`Closewatch: the resource could not be detected (${String(error)}); spans go without it`);
          return (this.resource = EMPTY_RESOURCE);
        },
      );
    }
  }

  /** Spans dropped because the queue was full, since the start. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Spans whose export failed for good (refused, or retried until the attempts or the timeout ran out). */
  get failed(): number {
    return this.failedCount;
  }

  /** Spans in exports the collector accepted (including any it reported as rejected). */
  get exported(): number {
    return this.exportedCount;
  }

  /** Spans the collector accepted the export of but reported as rejected (OTLP partial success). */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Spans queued or being sent: what `takeUnsentRequest` would hand over. */
  get unsent(): number {
    let count = this.queue.length;
    for (const batch of this.inFlight.keys()) count += batch.spans.length;
    return count;
  }

  /** Queues one encoded span (the fields of an OTLP `Span`, without tag and length). Never throws. */
  add(span: Uint8Array): void {
    if (this.closing) return;
    if (this.queue.length >= this.maxQueueSize) {
      this.droppedCount++;
      this.droppedSinceReport++;
      return;
    }
    this.queue.push(span);
    this.schedule();
  }

  /**
   * Sends everything queued now and resolves once every send under way has ended (those whose spans
   * `takeUnsentRequest` took excepted). Never rejects.
   */
  async forceFlush(): Promise<void> {
    this.clearTimer();
    this.reportDrops();
    while (this.queue.length > 0) void this.sendBatch(this.nextBatch());
    await Promise.all(this.inFlight.values());
  }

  /** Flushes, then accepts no more spans and closes the sender's connections. */
  shutdown(): Promise<void> {
    this.closing ??= this.forceFlush().then(() => this.sender.shutdown?.());
    return this.closing;
  }

  /**
   * For the `exit` hook, where nothing asynchronous runs any more: every span queued or still being
   * sent, oldest first, as one ExportTraceServiceRequest body; undefined when there is none. They are
   * no longer the queue's: a send of theirs still under way counts them neither sent nor failed. Before
   * the resource is known the body carries an empty one.
   */
  takeUnsentRequest(): Uint8Array | undefined {
    this.clearTimer();
    const spans: Uint8Array[] = [];
    for (const batch of this.inFlight.keys()) {
      batch.taken = true;
      for (const span of batch.spans) spans.push(span);
    }
    this.inFlight.clear();
    for (const span of this.queue) spans.push(span);
    this.queue = [];
    if (spans.length === 0) return undefined;
    return exportTraceRequestBody(this.resource ?? this.provisionalResource, this.scope, spans);
  }

  private nextBatch(): Uint8Array[] {
    if (this.queue.length <= this.maxExportBatchSize) {
      const batch = this.queue;
      this.queue = [];
      return batch;
    }
    return this.queue.splice(0, this.maxExportBatchSize);
  }

  /** A full batch goes at once; otherwise the first span of a batch starts the delay. */
  private schedule(): void {
    if (this.exporting) return;
    if (this.queue.length >= this.maxExportBatchSize) {
      this.exportScheduled();
      return;
    }
    if (this.timer !== undefined || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.exportScheduled();
    }, this.scheduledDelayMillis);
    this.timer.unref();
  }

  private exportScheduled(): void {
    this.clearTimer();
    this.reportDrops();
    if (this.queue.length === 0) return;
    this.exporting = true;
    void this.sendBatch(this.nextBatch()).finally(() => {
      this.exporting = false;
      this.schedule();
    });
  }

  private sendBatch(spans: Uint8Array[]): Promise<void> {
    const batch: Batch = { spans, taken: false };
    const sent = this.exportBatch(batch);
    this.inFlight.set(batch, sent);
    return sent;
  }

  private async exportBatch(batch: Batch): Promise<void> {
    let result: SendResult;
    try {
      // Lets sendBatch note the batch in flight before anything here can settle it.
      await Promise.resolve();
      const resource = this.resource ?? (await this.resourceReady);
      if (batch.taken) return;
      result = await this.sender.send(exportTraceRequestBody(resource, this.scope, batch.spans));
    } catch (error) {
      result = { ok: false, attempts: 0, reason: String(error), retryable: false };
    }
    if (batch.taken) return;
    this.inFlight.delete(batch);
    this.record(result, batch.spans.length);
  }

  private record(result: SendResult, count: number): void {
    if (!result.ok) {
      this.failedCount += count;
      const tries = result.attempts === 1 ? '1 attempt' : `${result.attempts} attempts`;
      this.reportTrouble(
        `Closewatch: ${count} span(s) could not be exported after ${tries} (${result.reason}); further failures are not logged until an export succeeds`,
      );
      return;
    }
    this.exportedCount += count;
    const partial = result.partialSuccess;
    if (partial) {
      this.rejectedCount += partial.rejectedSpans;
      this.reportTrouble(`Closewatch: the collector rejected ${partial.rejectedSpans} span(s)${partial.errorMessage ? `: ${partial.errorMessage}` : ''}`);
      return;
    }
    this.troubleReported = false;
  }

  private reportTrouble(message: string): void {
    if (this.troubleReported) return;
    this.troubleReported = true;
    diag.warn(message);
  }

  private reportDrops(): void {
    if (this.droppedSinceReport === 0) return;
    diag.warn(`Closewatch: dropped ${this.droppedSinceReport} span(s) because the export queue was full (maxQueueSize ${this.maxQueueSize})`);
    this.droppedSinceReport = 0;
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
