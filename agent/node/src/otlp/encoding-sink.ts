import type { CompactSpan, EndedSpanSink } from './compact-span.js';
import { ProtoWriter } from './proto-writer.js';
import { encodeSpan } from './span-encoder.js';

/** Where encoded spans wait for their batch: the agent's own OTLP span queue. */
export interface EncodedSpanQueue {
  add(span: Uint8Array): void;
}

/**
 * Encodes each ended compact span into one reused writer and hands a copy of its bytes to the
 * queue: the span object is garbage as soon as it ends, and the queue holds ~400 bytes per span.
 */
export class EncodingSink implements EndedSpanSink {
  private readonly writer = new ProtoWriter(2048);

  constructor(private readonly queue: EncodedSpanQueue) {}

  onEnd(span: CompactSpan): void {
    const writer = this.writer;
    writer.reset();
    encodeSpan(writer, span);
    this.queue.add(writer.finish());
  }
}
