/**
 * The few protobuf wire forms OTLP traces need, written into one growable buffer: no message objects,
 * no per-field allocation. Nested messages are written in place: `beginMessage` remembers where the
 * message starts, `endMessage` moves its bytes right by the size of their length and writes the
 * length in front (a copy of a few hundred bytes, cheaper than encoding each message twice).
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const TWO_32 = 0x1_0000_0000;

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/**
 * Copies of finished messages are views into 64 KB slabs, as Node pools small Buffers: a typed array
 * of its own per span costs a backing-store allocation, more than encoding the span. A slab is freed
 * once no view into it is left (spans leave the export queue within seconds).
 */
const SLAB_SIZE = 64 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabOffset = 0;

function slabCopy(size: number): Uint8Array {
  if (size > SLAB_SIZE / 8) return new Uint8Array(size);
  if (slabOffset + size > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabOffset = 0;
  }
  const view = new Uint8Array(slab, slabOffset, size);
  // Eight-byte alignment keeps later views cheap to create.
  slabOffset += (size + 7) & ~7;
  return view;
}

export class ProtoWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialSize = 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.position;
  }

  private ensure(extra: number): void {
    const needed = this.position + extra;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  /** An unsigned varint of a non-negative integer up to 2^53. */
  private rawVarint(value: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    let position = this.position;
    while (value >= 0x80) {
      buffer[position++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    buffer[position++] = value;
    this.position = position;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint((field << 3) | wireType);
  }

  /** A uint32/uint64/enum field; a negative int64 takes the ten-byte two's complement form. */
  varint(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    if (value >= 0) {
      this.rawVarint(value);
      return;
    }
    // int64 below zero: two's complement over 64 bits, low and high 32-bit halves.
    const low = value % TWO_32;
    const high = Math.floor(value / TWO_32);
    this.ensure(10);
    let lowBits = low >>> 0;
    let highBits = high >>> 0;
    for (let i = 0; i < 9; i++) {
      this.buffer[this.position++] = (lowBits & 0x7f) | 0x80;
      lowBits = (lowBits >>> 7) | ((highBits & 0x7f) << 25);
      highBits >>>= 7;
    }
    this.buffer[this.position++] = lowBits & 0x01;
  }

  bool(field: number, value: boolean): void {
    this.tag(field, WIRE_VARINT);
    this.ensure(1);
    this.buffer[this.position++] = value ? 1 : 0;
  }

  fixed32(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.position);
    this.position += 4;
  }

  /** A fixed64 of a non-negative integer given as high and low 32-bit halves (nanosecond times exceed 2^53). */
  fixed64(field: number, high: number, low: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.buffer.writeUInt32LE(low >>> 0, this.position);
    this.buffer.writeUInt32LE(high >>> 0, this.position + 4);
    this.position += 8;
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.position);
    this.position += 8;
  }

  string(field: number, value: string): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    // Keys and most values are short ASCII: copied here, a native UTF-8 write costs more than the copy.
    const length = value.length;
    if (length < 0x80) {
      this.ensure(1 + length);
      const buffer = this.buffer;
      let position = this.position + 1;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[position++] = code;
      }
      if (i === length) {
        buffer[this.position] = length;
        this.position = position;
        return;
      }
    }
    // At most 3 bytes per UTF-16 unit; the length is written once the bytes are.
    const maximum = value.length * 3;
    this.ensure(varintSize(maximum) + maximum);
    if (value.length < 0x80 / 3) {
      const written = this.buffer.write(value, this.position + 1, 'utf8');
      this.buffer[this.position] = written;
      this.position += 1 + written;
      return;
    }
    const start = this.beginMessageBody();
    this.position += this.buffer.write(value, this.position, 'utf8');
    this.endMessage(start);
  }

  /** Bytes from a hex string (trace and span ids): two hex digits per byte. */
  hexBytes(field: number, hex: string): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    const size = hex.length >> 1;
    this.rawVarint(size);
    this.ensure(size);
    this.position += this.buffer.write(hex, this.position, 'hex');
  }

  /** Bytes from 32-bit words, big-endian: two words for a span id, four for a trace id. */
  words(field: number, w0: number, w1: number, w2?: number, w3?: number): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    const size = w2 === undefined ? 8 : 16;
    this.ensure(1 + size);
    const buffer = this.buffer;
    buffer[this.position++] = size;
    buffer.writeUInt32BE(w0 >>> 0, this.position);
    buffer.writeUInt32BE(w1 >>> 0, this.position + 4);
    if (w2 !== undefined) {
      buffer.writeUInt32BE(w2 >>> 0, this.position + 8);
      buffer.writeUInt32BE((w3 ?? 0) >>> 0, this.position + 12);
    }
    this.position += size;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
  }

  /** Starts an embedded message in `field`; returns the mark `endMessage` needs. */
  beginMessage(field: number): number {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    return this.beginMessageBody();
  }

  /** One byte is kept for the length: most messages are shorter than 128 bytes and need no move. */
  private beginMessageBody(): number {
    this.ensure(1);
    return this.position++;
  }

  /** Ends the embedded message begun at `start`: its length goes in front of its bytes. */
  endMessage(start: number): void {
    const size = this.position - start - 1;
    if (size < 0x80) {
      this.buffer[start] = size;
      return;
    }
    const extra = varintSize(size) - 1;
    this.ensure(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.position);
    const end = this.position + extra;
    this.position = start;
    this.rawVarint(size);
    this.position = end;
  }

  /** Forgets everything written, keeping the buffer. */
  reset(): void {
    this.position = 0;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    const copy = slabCopy(this.position);
    copy.set(new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.position));
    return copy;
  }

  /** What was written, without copying: valid until the next write or reset. */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.position);
  }
}

/** One message body written by `write`, as its own bytes (for what is encoded once: a resource, a scope). */
export function encodeMessage(write: (writer: ProtoWriter) => void): Uint8Array {
  const writer = new ProtoWriter(256);
  write(writer);
  return writer.finish();
}
