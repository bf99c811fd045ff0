/**
 * The one thing the agent reads from an accepted export: the `partial_success` of an OTLP
 * `ExportTraceServiceResponse` (field 1: `rejected_spans` int64 = 1, `error_message` string = 2).
 * The export still succeeded; the spans the collector rejected are not worth sending again.
 */

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

const RESPONSE_PARTIAL_SUCCESS = 1;
const PARTIAL_REJECTED_SPANS = 1;
const PARTIAL_ERROR_MESSAGE = 2;

class WireReader {
  position = 0;

  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.position >= this.bytes.length) throw new RangeError('truncated varint');
      const byte = this.bytes[this.position++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new RangeError('varint too long');
  }

  take(size: number): Uint8Array {
    const end = this.position + size;
    if (end > this.bytes.length) throw new RangeError('truncated field');
    const bytes = this.bytes.subarray(this.position, end);
    this.position = end;
    return bytes;
  }

  /** Passes over a field of `wireType` the reader does not want. */
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.take(8);
    else if (wireType === 2) this.take(this.varint());
    else if (wireType === 5) this.take(4);
    else throw new RangeError(`wire type ${wireType}`);
  }
}

/** Walks the fields of one message, handing each tag to `field`, which reads or skips its value. */
function eachField(bytes: Uint8Array, field: (reader: WireReader, number: number, wireType: number) => void): void {
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const tag = reader.varint();
    field(reader, Math.floor(tag / 8), tag % 8);
  }
}

/** The partial success of a protobuf response body when it reports rejected spans or a message; undefined otherwise or when unreadable. */
export function partialSuccessOf(body: Uint8Array): PartialSuccess | undefined {
  try {
    let partial: PartialSuccess | undefined;
    eachField(body, (reader, number, wireType) => {
      if (number !== RESPONSE_PARTIAL_SUCCESS || wireType !== 2) return reader.skip(wireType);
      const found: PartialSuccess = { rejectedSpans: 0, errorMessage: '' };
      eachField(reader.take(reader.varint()), (inner, innerNumber, innerType) => {
        if (innerNumber === PARTIAL_REJECTED_SPANS && innerType === 0) found.rejectedSpans = inner.varint();
        else if (innerNumber === PARTIAL_ERROR_MESSAGE && innerType === 2) found.errorMessage = Buffer.from(inner.take(inner.varint())).toString('utf8');
        else inner.skip(innerType);
      });
      partial = found;
    });
    return partial && (partial.rejectedSpans > 0 || partial.errorMessage !== '') ? partial : undefined;
  } catch {
    return undefined;
  }
}
