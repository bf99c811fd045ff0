import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTRIBUTE_CAPS } from '../src/ingest/attribute-caps.js';
import { decodeTraceRequest } from '../src/ingest/decode-request.js';
import type { RawSpan } from '../src/ingest/otlp-types.js';
import { readAttributes, readId } from '../src/ingest/otlp-values.js';
import { readSpan, readSpanContext } from '../src/ingest/read-span.js';
import { connectionIdOf, expectsPeer, toIncomingSide } from '../src/join/join-key.js';
import { CollectorError } from '../src/errors.js';
import { clientSpan, otlpJsonBody, otlpProtobufBody, serverSpanFor, type SpanSpec } from './support/otlp-fixtures.js';

const context = readSpanContext([{ key: 'service.name', value: { stringValue: 'chat-api' } }], { name: 'agent', version: '1' }, 1000);

function onlySpan(body: Buffer, encoding: 'json' | 'protobuf'): RawSpan {
  const decoded = decodeTraceRequest(body, encoding);
  assert.equal(decoded.spanCount, 1);
  return decoded.resourceSpans[0].scopeSpans[0].spans[0];
}

function accepted(spec: SpanSpec, encoding: 'json' | 'protobuf') {
  const body = encoding === 'json' ? otlpJsonBody([spec]) : otlpProtobufBody([spec]);
  const reading = readSpan(onlySpan(body, encoding), context);
  assert.equal(reading.result, 'accepted', JSON.stringify(reading));
  return reading.span;
}

describe('OTLP span decoding', () => {
  for (const encoding of ['json', 'protobuf'] as const) {
    it(`reads a websocket.connection span from OTLP/${encoding} into the same stored side`, () => {
      const client = clientSpan({}, { 'websocket.subprotocols.requested': ['chat', 'v2'], 'websocket.buffered_amount': 12 });
      const span = accepted(client, encoding);
      assert.equal(span.side, 'client');
      assert.equal(span.traceId, client.traceId);
      assert.equal(span.spanId, client.spanId);
      assert.equal(span.parentSpanId, null);
      assert.equal(span.service, 'chat-api');
      assert.deepEqual(span.scope, { name: 'agent', version: '1' });
      assert.equal(span.attributes['websocket.close.code'], 1000);
      assert.equal(span.attributes['websocket.propagated'], true);
      assert.equal(span.attributes['websocket.handshake.duration_ms'], 42);
      assert.deepEqual(span.attributes['websocket.subprotocols.requested'], ['chat', 'v2']);
      assert.equal(span.startTimeMs, Math.round(client.startMs));
      assert.ok(Number.isInteger(span.endTimeMs));
      assert.equal(span.endTimeMs, Math.round(client.endMs));
    });

    it(`scrubs secrets from url.full again on ingest (OTLP/${encoding}), absolute or path-only`, () => {
      const client = clientSpan({}, { 'url.full': 'wss://user:pw@chat.example.com/rooms/1?token=s3cr3t&room=1' });
      assert.equal(accepted(client, encoding).attributes['url.full'], 'wss://chat.example.com/rooms/1?token=REDACTED&room=1');
      const server = clientSpan({}, { 'url.full': '/rooms/1?api_key=abc&room=1' });
      assert.equal(accepted(server, encoding).attributes['url.full'], '/rooms/1?api_key=REDACTED&room=1');
      const engineIo = clientSpan({}, { 'url.full': '/socket.io/?EIO=4&transport=websocket&sid=Zx9Q-live-session' });
      assert.equal(accepted(engineIo, encoding).attributes['url.full'], '/socket.io/?EIO=4&transport=websocket&sid=REDACTED', "engine.io's session id");
    });

    it(`reads the server side's parent span id from OTLP/${encoding}`, () => {
      const client = clientSpan();
      const span = accepted(serverSpanFor(client), encoding);
      assert.equal(span.side, 'server');
      assert.equal(span.parentSpanId, client.spanId);
    });
  }

  it('ignores valid spans of other names and rejects invalid ids and times with a reason', () => {
    const base = clientSpan();
    const cases: Array<[Partial<SpanSpec>, string]> = [
      [{ traceId: '00000000000000000000000000000000' }, 'traceId'],
      [{ traceId: 'xyz' }, 'traceId'],
      [{ spanId: '0000000000000000' }, 'spanId'],
      [{ parentSpanId: 'abc' }, 'parentSpanId'],
      [{ endMs: base.startMs - 1 }, 'ends before it starts'],
      [{ kind: 1 }, 'kind SERVER or CLIENT'],
    ];
    for (const [override, reason] of cases) {
      const reading = readSpan(onlySpan(otlpJsonBody([{ ...base, ...override }]), 'json'), context);
      assert.equal(reading.result, 'rejected', reason);
      assert.match((reading as { reason: string }).reason, new RegExp(reason));
    }
    const other = readSpan(onlySpan(otlpJsonBody([{ ...base, name: 'GET /api' }]), 'json'), context);
    assert.equal(other.result, 'ignored');
  });

  it('caps attribute values, array lengths and the number of attributes', () => {
    const many = Array.from({ length: ATTRIBUTE_CAPS.maxAttributesPerSpan + 50 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } }));
    const long = { key: 'url.full', value: { stringValue: 'x'.repeat(100_000) } };
    const array = { key: 'list', value: { arrayValue: { values: Array.from({ length: 1000 }, () => ({ stringValue: 'y'.repeat(5000) })) } } };
    const attributes = readAttributes([long, array, ...many], ATTRIBUTE_CAPS.maxAttributesPerSpan);
    assert.equal(Object.keys(attributes).length, ATTRIBUTE_CAPS.maxAttributesPerSpan);
    assert.equal((attributes['url.full'] as string).length, ATTRIBUTE_CAPS.maxStringLength);
    const list = attributes.list as string[];
    assert.equal(list.length, ATTRIBUTE_CAPS.maxArrayItems);
    assert.ok(list.every((item) => item.length === ATTRIBUTE_CAPS.maxStringLength));
  });

  it('never lets an attribute key reach the prototype', () => {
    const attributes = readAttributes([{ key: '__proto__', value: { stringValue: 'polluted' } }], 10);
    assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
    assert.deepEqual(Object.keys(attributes), []);
  });

  it('accepts ids as hex or base64 in JSON and as bytes in protobuf', () => {
    assert.equal(readId('0102030405060708', 8), '0102030405060708');
    assert.equal(readId(Buffer.from('0102030405060708', 'hex').toString('base64'), 8), '0102030405060708');
    assert.equal(readId(Buffer.from('0102030405060708', 'hex'), 8), '0102030405060708');
    assert.equal(readId('01020304', 8), null);
  });

  it('refuses a body that is not an OTLP request with a clear message', () => {
    const bad: Array<[string, 'json' | 'protobuf']> = [
      ['{not json', 'json'],
      ['[1,2]', 'json'],
      ['{"resourceSpans": {"a": 1}}', 'json'],
      ['{"resourceSpans": [{"scopeSpans": [{"spans": 5}]}]}', 'json'],
      ['\u00ff\u00ff\u00ff\u00ff\u00ff', 'protobuf'],
    ];
    for (const [body, encoding] of bad) {
      assert.throws(
        () => decodeTraceRequest(Buffer.from(body, 'latin1'), encoding),
        (error: unknown) => error instanceof CollectorError && error.status === 400 && /could not be decoded: .+/.test(error.message),
        body,
      );
    }
    assert.equal(decodeTraceRequest(Buffer.from('{}'), 'json').spanCount, 0);
    assert.equal(decodeTraceRequest(Buffer.alloc(0), 'protobuf').spanCount, 0);
  });
});

describe('join key', () => {
  it('gives both sides of one connection the same id and expects a peer only when one can report', () => {
    const client = accepted(clientSpan(), 'json');
    const server = { ...client, side: 'server' as const, spanId: 'aaaaaaaaaaaaaaaa', parentSpanId: client.spanId };
    assert.equal(connectionIdOf(client), connectionIdOf(server));
    assert.equal(expectsPeer(client), true);
    assert.equal(expectsPeer(server), true);
    assert.equal(expectsPeer({ ...client, attributes: { ...client.attributes, 'websocket.propagated': false } }), false);
    const orphan = { ...server, parentSpanId: null };
    assert.equal(expectsPeer(orphan), false);
    assert.equal(connectionIdOf(orphan), `${orphan.traceId}-${orphan.spanId}`);
  });

  it('waits for the peer until the join window after its arrival (the receive clock), else only a short grace', () => {
    const client = accepted(clientSpan(), 'json');
    assert.equal(toIncomingSide(client, 30_000, false).joinDeadlineMs, client.receivedAtMs + 30_000);
    const alone = toIncomingSide(client, 30_000, true).joinDeadlineMs!;
    assert.ok(alone > client.receivedAtMs && alone < client.receivedAtMs + 30_000);
  });
});
