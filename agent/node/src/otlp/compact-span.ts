import { performance } from 'node:perf_hooks';
import {
  SpanStatusCode,
  TraceFlags,
  type AttributeValue,
  type Attributes,
  type Exception,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import { isAttributeValue } from '@opentelemetry/core';
import { hexOf, lastWord, randomWord } from './span-ids.js';

/** Limits from the OTEL_* variables, as the SDK reads them (docs/design.md, "The agent's own export"). */
export interface CompactSpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
}

/** One event on a span: `time` is a `performance.now()` reading. */
export interface CompactEvent {
  name: string;
  time: number;
  attributes: Attributes | undefined;
}

/** Where an ended span goes: the queue in front of the agent's own exporter. */
export interface EndedSpanSink {
  onEnd(span: CompactSpan): void;
}

function truncated(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value))
    return value.map((item: unknown) => (typeof item === 'string' && item.length > limit ? item.slice(0, limit) : item)) as AttributeValue;
  return value;
}

/**
 * A span as the agent needs it and nothing more: ids as 32-bit numbers (hex only when someone asks
 * for the span context), attributes as two parallel arrays, times as one wall-clock reading plus
 * `performance.now()` offsets. It implements the API's `Span`, so the instrumentation writes to it
 * as it writes to an SDK span; on `end()` it goes to the sink, which encodes it to OTLP protobuf
 * (span-encoder.ts). The SDK's semantics are kept where they show on the wire: a later value of a
 * key replaces the earlier one, invalid values are ignored, the count and length limits drop and
 * cut as the SDK does, nothing changes after `end()`.
 */
export class CompactSpan implements Span {
  readonly name: string;
  readonly kind: SpanKind;
  /** Trace id: the parent's, as hex, or four random 32-bit words. */
  readonly traceIdHex: string | undefined;
  readonly traceId0: number;
  readonly traceId1: number;
  readonly traceId2: number;
  readonly traceId3: number;
  readonly spanIdHigh: number;
  readonly spanIdLow: number;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  readonly traceFlags: number;
  /** `Date.now()` at the start, and the `performance.now()` reading it corresponds to. */
  readonly startEpochMs: number;
  readonly startPerformance: number;
  endPerformance = 0;
  readonly keys: string[] = [];
  readonly values: AttributeValue[] = [];
  droppedAttributes = 0;
  events: CompactEvent[] | undefined = undefined;
  droppedEvents = 0;
  statusCode: SpanStatusCode = SpanStatusCode.UNSET;
  statusMessage: string | undefined = undefined;
  private ended = false;
  private context: SpanContext | undefined;

  constructor(
    private readonly sink: EndedSpanSink,
    private readonly limits: CompactSpanLimits,
    name: string,
    kind: SpanKind,
    parent: SpanContext | undefined,
    /** A root span's trace id when the sampler already drew it, as hex. */
    traceIdHex?: string,
  ) {
    this.name = name;
    this.kind = kind;
    this.startEpochMs = Date.now();
    this.startPerformance = performance.now();
    this.traceIdHex = parent?.traceId ?? traceIdHex;
    const drawn = this.traceIdHex !== undefined;
    this.traceId0 = drawn ? 0 : randomWord();
    this.traceId1 = drawn ? 0 : randomWord();
    this.traceId2 = drawn ? 0 : randomWord();
    // A trace id of all zeros is invalid: its last bit is set then, as the SDK's generator does.
    this.traceId3 = drawn ? 0 : lastWord(this.traceId0 | this.traceId1 | this.traceId2);
    this.spanIdHigh = randomWord();
    this.spanIdLow = lastWord(this.spanIdHigh);
    this.parentSpanId = parent?.spanId;
    this.parentIsRemote = parent?.isRemote === true;
    this.traceFlags = TraceFlags.SAMPLED;
  }

  get traceId(): string {
    return this.traceIdHex ?? hexOf(this.traceId0, this.traceId1, this.traceId2, this.traceId3);
  }

  get spanId(): string {
    return hexOf(this.spanIdHigh, this.spanIdLow);
  }

  spanContext(): SpanContext {
    this.context ??= { traceId: this.traceId, spanId: this.spanId, traceFlags: this.traceFlags, isRemote: false };
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.ended || value === undefined || value === null || key.length === 0 || !isAttributeValue(value)) return this;
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === key) {
        this.values[i] = this.stored(value);
        return this;
      }
    }
    if (keys.length >= this.limits.attributeCountLimit) {
      this.droppedAttributes++;
      return this;
    }
    keys.push(key);
    this.values.push(this.stored(value));
    return this;
  }

  private stored(value: AttributeValue): AttributeValue {
    if (Array.isArray(value)) return truncated(value.slice(), this.limits.attributeValueLengthLimit);
    return typeof value === 'string' ? truncated(value, this.limits.attributeValueLengthLimit) : value;
  }

  setAttributes(attributes: Attributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }

  /** The agent passes `performance.now()` readings as event times, or none (now). */
  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    let attributes: Attributes | undefined;
    if (typeof attributesOrTime === 'object' && attributesOrTime !== null && !Array.isArray(attributesOrTime) && !(attributesOrTime instanceof Date)) {
      attributes = attributesOrTime;
    } else if (time === undefined) {
      time = attributesOrTime;
    }
    const events = (this.events ??= []);
    if (events.length >= this.limits.eventCountLimit) {
      events.shift();
      this.droppedEvents++;
    }
    events.push({ name, time: this.performanceTimeOf(time), attributes: attributes && Object.keys(attributes).length > 0 ? attributes : undefined });
    return this;
  }

  /**
   * A time as a `performance.now()` reading: numbers up to now are such readings already, as in the SDK;
   * later numbers, Dates and HrTimes are wall-clock times, placed relative to the span's start.
   */
  private performanceTimeOf(time: TimeInput | undefined): number {
    if (time === undefined) return performance.now();
    if (typeof time === 'number') return time <= performance.now() ? time : time - this.startEpochMs + this.startPerformance;
    if (time instanceof Date) return time.getTime() - this.startEpochMs + this.startPerformance;
    return time[0] * 1000 + time[1] / 1e6 - this.startEpochMs + this.startPerformance;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET || this.statusCode === SpanStatusCode.OK) return this;
    this.statusCode = status.code;
    this.statusMessage = status.code === SpanStatusCode.ERROR && typeof status.message === 'string' ? status.message : undefined;
    return this;
  }

  updateName(_name: string): this {
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.ended = true;
    this.endPerformance = this.performanceTimeOf(endTime);
    if (this.endPerformance < this.startPerformance) this.endPerformance = this.startPerformance;
    try {
      this.sink.onEnd(this);
    } catch {
      // Export trouble never reaches the instrumented code.
    }
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(_exception: Exception, _time?: TimeInput): void {}
}
