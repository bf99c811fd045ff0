import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExportTraceServiceRequest } from '../src/ingest/otlp-schema.js';
import { readEverything } from './support/api-reads.js';
import { clientSpan, decodeRpcStatus, otlpJson, type SpanSpec } from './support/otlp-fixtures.js';
import { STORE_KINDS, startOn } from './support/store-under-test.js';
import { metricValue, startTestCollector } from './support/test-collector.js';

interface ExportAnswer {
  status: number;
  partialSuccess?: { rejectedSpans: number | string; errorMessage: string };
}

async function postJson(url: string, body: string): Promise<ExportAnswer> {
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  const answer = response.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Omit<ExportAnswer, 'status'>) : {};
  return { status: response.status, ...answer };
}

function alone(overrides: Partial<SpanSpec> = {}, attributes: SpanSpec['attributes'] = {}): SpanSpec {
  return clientSpan(overrides, { 'websocket.propagated': false, ...attributes });
}

function idOf(span: SpanSpec): string {
  return `${span.traceId}-${span.spanId}`;
}

type JsonRequest = { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };

/** `depth` kvlistValues inside each other, as OTLP/JSON text (JSON.stringify itself would overflow the stack). */
function nestedKvlist(depth: number): string {
  return `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}{"stringValue":"x"}${'}]}}'.repeat(depth)}`;
}

/** A request whose first span carries an attribute `deep` of `depth` nested lists. */
function withDeepAttribute(span: SpanSpec, depth: number): string {
  const marker = '"__deep__"';
  const request = otlpJson([span]) as JsonRequest;
  (request.resourceSpans[0].scopeSpans[0].spans[0].attributes as unknown[]).push({ key: 'deep', value: '__deep__' });
  return JSON.stringify(request).replace(marker, nestedKvlist(depth));
}

/** A length-delimited protobuf field. */
function field(number: number, bytes: Buffer): Buffer {
  const varint = (value: number) => {
    const out: number[] = [];
    for (; value > 0x7f; value >>>= 7) out.push((value & 0x7f) | 0x80);
    out.push(value);
    return Buffer.from(out);
  };
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

/** The protobuf request of one span with an attribute of `depth` nested lists, encoded by hand (protobufjs refuses to). */
function protobufWithDeepAttribute(spec: SpanSpec, depth: number): Buffer {
  const Span = ExportTraceServiceRequest.root.lookupType('otlp.Span');
  const json = (otlpJson([spec]) as JsonRequest).resourceSpans[0].scopeSpans[0].spans[0];
  const span = Span.fromObject({ ...json, traceId: Buffer.from(spec.traceId, 'hex'), spanId: Buffer.from(spec.spanId, 'hex'), parentSpanId: Buffer.alloc(0) });
  let value = field(1, Buffer.from('x'));
  for (let i = 0; i < depth; i++) value = field(6, field(1, Buffer.concat([field(1, Buffer.from('k')), field(2, value)])));
  const spanBytes = Buffer.concat([Buffer.from(Span.encode(span).finish()), field(9, Buffer.concat([field(1, Buffer.from('deep')), field(2, value)]))]);
  return field(1, field(2, field(2, spanBytes)));
}

describe('per-span validation with OTLP partial success', () => {
  for (const kind of STORE_KINDS) {
    it(`a span dated 1e22 ns is rejected with its reason while the span next to it is stored (${kind})`, async (t) => {
      const collector = await startOn(kind, t);
      if (!collector) return;
      const bad = alone();
      const good = alone();
      const request = otlpJson([bad, good]) as JsonRequest;
      Object.assign(request.resourceSpans[0].scopeSpans[0].spans[0], { startTimeUnixNano: '10000000000000000000000', endTimeUnixNano: 1e22 });
      const answer = await postJson(collector.current.url, JSON.stringify(request));
      assert.equal(answer.status, 200);
      assert.equal(Number(answer.partialSuccess?.rejectedSpans), 1);
      assert.match(answer.partialSuccess!.errorMessage, new RegExp(`span ${bad.spanId}: startTimeUnixNano .*10000000000000000000000`));
      await collector.restart();
      const { closes } = await readEverything(collector.current.url);
      assert.deepEqual(
        closes.items.map((item) => item.id),
        [idOf(good)],
        'the valid span is stored, the rejected one is not',
      );
    });
  }
});

describe('bounded parsing', () => {
  it('a key-value list nested 5,000 deep rejects its span (JSON) or the request with 400 (protobuf), never a 5xx', async (t) => {
    const collector = await startTestCollector(t);
    const shallow = alone();
    const accepted = await postJson(collector.url, withDeepAttribute(shallow, 8));
    assert.equal(accepted.status, 200);
    assert.equal(accepted.partialSuccess, undefined, 'eight levels are kept');
    const stored = await collector.deps.store.getConnection(idOf(shallow));
    assert.equal(typeof stored?.client?.attributes.deep, 'string', 'as capped JSON text');

    const deep = alone();
    const rejected = await postJson(collector.url, withDeepAttribute(deep, 5000));
    assert.equal(rejected.status, 200);
    assert.equal(Number(rejected.partialSuccess?.rejectedSpans), 1);
    assert.match(rejected.partialSuccess!.errorMessage, /nests key-value lists deeper than 8 levels/);
    assert.equal(await collector.deps.store.getConnection(idOf(deep)), null);

    const deepArrays = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const arrays = await postJson(collector.url, JSON.stringify(otlpJson([alone()])).replace('"attributes":[', `"attributes":[${deepArrays},`));
    assert.equal(arrays.status, 200, 'arrays nested 100,000 deep in place of an attribute are skipped');

    const protobuf = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      body: protobufWithDeepAttribute(alone(), 5000),
      headers: { 'content-type': 'application/x-protobuf' },
    });
    assert.equal(protobuf.status, 400);
    assert.match(decodeRpcStatus(await protobuf.arrayBuffer()).message ?? '', /invalid_otlp: .*nesting depth/);
    assert.equal(await metricValue(collector.deps, 'closewatch_ingest_requests_total', { status: '500' }), 0);
  });
});

describe('types', () => {
  for (const kind of STORE_KINDS) {
    it(`numeric and boolean strings are parsed on ingest; negative durations and non-integer codes are dropped with a note (${kind})`, async (t) => {
      const collector = await startOn(kind, t);
      if (!collector) return;
      const stringCode = alone(
        {},
        {
          'websocket.close.code': '1006',
          'websocket.close.was_clean': 'false',
          'websocket.open.duration_ms': '3900.5',
          'websocket.app.ping_interval_ms': '25000',
        },
      );
      const negative = alone({}, { 'websocket.handshake.duration_ms': -5, 'websocket.open.duration_ms': -1.5, 'websocket.event_loop_stall_ms': -2000 });
      const fractional = alone({}, { 'websocket.close.code': 1006.7 });
      const answer = await postJson(collector.current.url, JSON.stringify(otlpJson([stringCode, negative, fractional])));
      assert.equal(answer.status, 200);
      assert.equal(Number(answer.partialSuccess?.rejectedSpans), 0, 'the spans are accepted: the notes are warnings');
      const message = answer.partialSuccess!.errorMessage;
      assert.match(message, /4 attribute value\(s\) dropped/);
      assert.match(message, new RegExp(`span ${negative.spanId}: websocket.handshake.duration_ms -5 is not a duration in ms ≥ 0; dropped`));
      assert.match(
        message,
        new RegExp(`span ${negative.spanId}: websocket.event_loop_stall_ms -2000 is not a duration in ms ≥ 0; dropped`),
        'the app keys are typed too',
      );
      assert.match(message, new RegExp(`span ${fractional.spanId}: websocket.close.code 1006.7 is not an integer in \\[0, 65535\\]; dropped`));
      const metrics = await (await fetch(`${collector.current.url}/metrics`)).text();
      assert.match(metrics, /closewatch_ws_closes_total\{[^}]*code="1006"[^}]*\} 1/, 'the string code is counted under its own label');

      for (const reading of ['before', 'after'] as const) {
        if (reading === 'after') await collector.restart();
        const { summary, details } = await readEverything(collector.current.url);
        assert.equal((summary as { closes1006?: number }).closes1006, 1, `"1006" counts as a 1006 close ${reading} the restart`);
        const byId = new Map(
          details.map((detail) => [detail.id, detail as { outcome: Record<string, unknown>; client: { attributes: Record<string, unknown> } }]),
        );
        const parsed = byId.get(idOf(stringCode))!;
        assert.equal(parsed.outcome.code, 1006);
        assert.deepEqual(
          [parsed.client.attributes['websocket.close.code'], parsed.client.attributes['websocket.close.was_clean'], parsed.outcome.openMs],
          [1006, false, 3900.5],
        );
        assert.equal(parsed.client.attributes['websocket.app.ping_interval_ms'], 25000, "an app key's numeric string is parsed");
        const dropped = byId.get(idOf(negative))!;
        assert.equal(dropped.outcome.handshakeMs, null, 'a negative duration is never shown');
        assert.equal(dropped.outcome.openMs, null);
        assert.equal('websocket.handshake.duration_ms' in dropped.client.attributes, false);
        assert.equal('websocket.event_loop_stall_ms' in dropped.client.attributes, false);
        assert.equal(byId.get(idOf(fractional))!.outcome.code, null, 'nor a non-integer code');
        assert.doesNotMatch(JSON.stringify(details), /1006\.7|-1\.5/);
      }
    });
  }
});
