import { gzipSync } from 'node:zlib';
import { ATTRIBUTE_TYPES, BROWSER_AGENT_SCOPE, SNIPPET_KEYS } from '@closewatch/conventions';
import fc from 'fast-check';
import { ExportTraceServiceRequest } from '../../src/ingest/otlp-schema.js';

/**
 * fast-check arbitraries of OTLP trace requests as a hostile or broken client sends them: strings with
 * lone surrogates, NUL and emoji at every cap, numbers past 64 bits and spelled as strings, nesting past
 * the bounds, impossible timestamps and ids, and ids drawn from small pools so sides of one connection
 * meet in any order.
 */

const NOW_MS = Date.now();
const TRACE_IDS = ['0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736', 'a3ce929d0e0e47364bf92f3577b34da6'];
const SPAN_IDS = ['00f067aa0ba902b7', 'b7ad6b7169203331', '53995c3f42cd8ad8', 'e457b5a2e4d86bd1'];

const units = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: units, maxLength: 12 }),
  fc.constantFrom('bye \ud83d', `${'a'.repeat(127)}\u{1F600}`, `${'r'.repeat(1023)}\u{1F600}tail`, '\u0000', '', '__proto__', 'x"}\n'),
  fc.tuple(fc.integer({ min: 100, max: 1500 }), fc.constantFrom('x', '\u{1F600}', '\ud83d', 'é')).map(([n, text]) => text.repeat(n)),
);

const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e22, -1, 0, 2 ** 53, 2 ** 63, 2 ** 64, Number.NaN, Number.POSITIVE_INFINITY, -0, 1006.7, 70_000),
  fc.constantFrom('1006', '1006.7', '-5', '1e22', '10000000000000000000000', 'NaN', 'Infinity', ' 42 ', 'abc', '', '0x10'),
);

const KNOWN_KEYS = [...Object.keys(ATTRIBUTE_TYPES), ...Object.values(SNIPPET_KEYS), 'service.name'];

/** `depth` kvlistValues inside each other. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'x' };
  for (let i = 0; i < depth; i++) value = { kvlistValue: { values: [{ key: 'k', value }] } };
  return value;
}

const { keyValue } = fc.letrec<{ anyValue: unknown; keyValue: unknown }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ stringValue: hostileString }),
    fc.record({ intValue: hostileNumber }),
    fc.record({ doubleValue: hostileNumber }),
    fc.record({ boolValue: fc.oneof(fc.boolean(), hostileString) }),
    fc.record({ bytesValue: fc.oneof(fc.base64String({ maxLength: 16 }), hostileString) }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('anyValue'), { maxLength: 4 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(tie('keyValue'), { maxLength: 3 }) }) }),
    fc.integer({ min: 6, max: 12 }).map(nested),
    fc.constantFrom(null, {}, 5, 'text', []),
  ),
  keyValue: fc.record({ key: fc.oneof(fc.constantFrom(...KNOWN_KEYS), hostileString), value: tie('anyValue') }),
}));

const attributes = fc.array(keyValue, { maxLength: 8 });

/** A close as agents report it (often with hostile values), so spans reach the classifier and the store. */
const closeAttributes = fc
  .record({
    code: fc.oneof(fc.constantFrom(1000, 1001, 1006, 1011, 1012, 4001, 3000), hostileNumber),
    propagated: fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'yes')),
    opened: fc.boolean(),
    route: fc.oneof(fc.constantFrom('/rooms/:id', '/chat'), hostileString),
    url: fc.oneof(fc.constantFrom('wss://chat.example/rooms/7?token=secret', 'ws://user:pw@host/x'), hostileString),
    duration: hostileNumber,
  })
  .map(({ code, propagated, opened, route, url, duration }) => [
    { key: 'websocket.close.code', value: typeof code === 'number' && Number.isInteger(code) ? { intValue: code } : { stringValue: String(code) } },
    { key: 'websocket.propagated', value: typeof propagated === 'boolean' ? { boolValue: propagated } : { stringValue: propagated } },
    { key: 'websocket.opened', value: { boolValue: opened } },
    { key: 'websocket.route', value: { stringValue: route } },
    { key: 'url.full', value: { stringValue: url } },
    { key: 'websocket.open.duration_ms', value: typeof duration === 'number' ? { doubleValue: duration } : { stringValue: String(duration) } },
  ]);

function nanos(ms: number): string {
  return (BigInt(Math.trunc(ms)) * 1_000_000n).toString();
}

/** Start and end: mostly plausible (the last hour), else anything. */
const times = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.integer({ min: -3_600_000, max: 0 }), fc.integer({ min: 0, max: 600_000 }))
      .map(([offset, length]) => [nanos(NOW_MS + offset), nanos(NOW_MS + offset + length)]),
  },
  { weight: 2, arbitrary: fc.tuple(hostileNumber, hostileNumber) },
);

const id = (pool: string[], bytes: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pool) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        hostileString,
        fc.constant('0'.repeat(bytes * 2)),
        fc.constantFrom(...pool).map((hex) => hex.toUpperCase()),
      ),
    },
  );

const span = fc
  .record({
    traceId: id(TRACE_IDS, 16),
    spanId: id(SPAN_IDS, 8),
    parentSpanId: fc.oneof(fc.constant(''), id(SPAN_IDS, 8)),
    name: fc.oneof({ weight: 8, arbitrary: fc.constant('websocket.connection') }, { weight: 1, arbitrary: hostileString }),
    kind: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(2, 3) },
      { weight: 1, arbitrary: fc.constantFrom('SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 1, 0, 'x', null) },
    ),
    times,
    close: closeAttributes,
    attributes,
    events: fc.array(
      fc.record({ name: fc.oneof(fc.constantFrom('websocket.open', 'browser.offline', 'websocket.error'), hostileString), time: hostileNumber, attributes }),
      {
        maxLength: 3,
      },
    ),
  })
  .map(({ times: [startTimeUnixNano, endTimeUnixNano], close, attributes: extra, events, ...rest }) => ({
    ...rest,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes: [...extra, ...close],
    events: events.map((event) => ({ name: event.name, timeUnixNano: event.time, attributes: event.attributes })),
  }));

const request = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      resourceSpans: fc.array(
        fc.record({
          resource: fc.record({
            attributes: fc
              .tuple(fc.oneof(fc.constantFrom('chat-web', 'chat-api'), hostileString), attributes)
              .map(([service, extra]) => [...extra, { key: 'service.name', value: { stringValue: service } }]),
          }),
          scopeSpans: fc.array(
            fc.record({
              scope: fc.record({ name: fc.oneof(fc.constantFrom(BROWSER_AGENT_SCOPE, '@closewatch/agent-node'), hostileString), version: hostileString }),
              spans: fc.array(span, { minLength: 1, maxLength: 4 }),
            }),
            { minLength: 1, maxLength: 2 },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ resourceSpans: 5 }, { resourceSpans: [null] }, [], 'x', { resourceSpans: [{ scopeSpans: {} }] }, null) },
);

export type Transport = 'json' | 'protobuf' | 'beacon';

export interface HostileExport {
  transport: Transport;
  gzip: boolean;
  body: unknown;
}

export const hostileExport: fc.Arbitrary<HostileExport> = fc.record({
  transport: fc.constantFrom<Transport>('json', 'protobuf', 'beacon'),
  gzip: fc.boolean(),
  body: request,
});

/** Ids of the protobuf encoding: bytes (hex ids as sent, anything else as its UTF-8). */
function idBytes(value: unknown): Uint8Array {
  if (typeof value === 'string' && /^([0-9a-fA-F]{2})*$/.test(value)) return Buffer.from(value, 'hex');
  return Buffer.from(String(value));
}

/** The request in protobuf, or null when protobufjs cannot carry what was generated (then it goes as JSON). */
function protobufBody(body: unknown): Buffer | null {
  try {
    const copy = structuredClone(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    for (const resourceSpans of copy.resourceSpans) {
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const item of scopeSpans.spans) {
          for (const key of ['traceId', 'spanId', 'parentSpanId']) item[key] = idBytes(item[key]);
        }
      }
    }
    return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(copy)).finish());
  } catch {
    return null;
  }
}

/** Sends one generated export; resolves with the HTTP status. */
export async function sendExport(url: string, generated: HostileExport): Promise<number> {
  let path = '/v1/traces';
  let contentType = 'application/json';
  let body: Buffer = Buffer.from(JSON.stringify(generated.body) ?? 'null');
  if (generated.transport === 'beacon') {
    path = '/v1/beacon';
    contentType = 'text/plain;charset=UTF-8';
  } else if (generated.transport === 'protobuf') {
    const encoded = protobufBody(generated.body);
    if (encoded !== null) {
      body = encoded;
      contentType = 'application/x-protobuf';
    }
  }
  const headers: Record<string, string> = { 'content-type': contentType };
  if (generated.gzip) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
  await response.arrayBuffer();
  return response.status;
}
