import { CollectorError } from '../errors.js';
import { ExportTraceServiceRequest } from './otlp-schema.js';
import type { DecodedTraceRequest, OtlpEncoding, RawResourceSpans, RawScopeSpans, RawSpan } from './otlp-types.js';

function malformed(message: string): CollectorError {
  return new CollectorError('invalid_otlp', `The OTLP payload could not be decoded: ${message}.`);
}

function optionalArray(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(`${where} is not an array`);
  return value;
}

function optionalObject(value: unknown, where: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed(`${where} is not an object`);
  return value as Record<string, unknown>;
}

/** Checks the request's skeleton (arrays and objects where the OTLP schema has them); spans are validated later. */
function checkStructure(message: unknown): DecodedTraceRequest {
  const request = optionalObject(message, 'the request');
  if (request === null) throw malformed('the request is not an object');
  let spanCount = 0;
  const resourceSpans: RawResourceSpans[] = [];
  optionalArray(request.resourceSpans, 'resourceSpans').forEach((rs, i) => {
    const resourceSpan = optionalObject(rs, `resourceSpans[${i}]`) ?? {};
    const resource = optionalObject(resourceSpan.resource, `resourceSpans[${i}].resource`);
    const scopeSpans: RawScopeSpans[] = [];
    optionalArray(resourceSpan.scopeSpans, `resourceSpans[${i}].scopeSpans`).forEach((ss, j) => {
      const where = `resourceSpans[${i}].scopeSpans[${j}]`;
      const scopeSpan = optionalObject(ss, where) ?? {};
      const scope = optionalObject(scopeSpan.scope, `${where}.scope`);
      const spans = optionalArray(scopeSpan.spans, `${where}.spans`) as RawSpan[];
      spanCount += spans.length;
      scopeSpans.push({ scope, spans });
    });
    resourceSpans.push({ resource, scopeSpans });
  });
  return { resourceSpans, spanCount };
}

function decodeProtobuf(body: Buffer): unknown {
  try {
    return ExportTraceServiceRequest.decode(body);
  } catch (error) {
    throw malformed(`invalid protobuf (${(error as Error).message})`);
  }
}

function decodeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw malformed(`invalid JSON (${(error as Error).message})`);
  }
}

/** Decodes an ExportTraceServiceRequest body (already decompressed) of either OTLP/HTTP encoding. */
export function decodeTraceRequest(body: Buffer, encoding: OtlpEncoding): DecodedTraceRequest {
  return checkStructure(encoding === 'protobuf' ? decodeProtobuf(body) : decodeJson(body));
}
