import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTRIBUTE_CAPS } from '../src/ingest/attribute-caps.js';
import { clientSpan, otlpJson, type SpanSpec } from './support/otlp-fixtures.js';
import { metricValue, startTestCollector } from './support/test-collector.js';

function alone(overrides: Partial<SpanSpec> = {}, attributes: SpanSpec['attributes'] = {}): SpanSpec {
  return clientSpan(overrides, { 'websocket.propagated': false, ...attributes });
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}/v1/traces`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 200, await response.text());
}

describe('fair caps', () => {
  it('valid close codes always keep their own code label; invalid ones share "invalid"', async (t) => {
    const collector = await startTestCollector(t);
    const bogus = Array.from({ length: 70 }, (_, i) => alone({}, { 'websocket.close.code': i < 35 ? 5000 + i : 100 + i }));
    await post(collector.url, otlpJson(bogus));
    const real = [1011, 4001, 1012, 3000, 1015].map((code) => alone({}, { 'websocket.close.code': code }));
    await post(collector.url, otlpJson(real));
    const closes = (code: string) => metricValue(collector.deps, 'closewatch_ws_closes_total', { code });
    assert.equal(await closes('invalid'), 70);
    for (const code of ['1011', '4001', '1012', '3000', '1015']) assert.equal(await closes(code), 1, `code="${code}" after 70 bogus codes`);
    assert.equal(await closes('__other__'), 0);
  });

  it("route labels are capped per service: one service with many raw paths never pushes out another service's routes", async (t) => {
    const collector = await startTestCollector(t, { maxRouteLabels: 5 });
    const noisy = Array.from({ length: 12 }, (_, i) => alone({ service: 'noisy' }, { 'websocket.route': `/raw/${'x'.repeat(i + 1)}` }));
    await post(collector.url, otlpJson(noisy));
    await post(collector.url, otlpJson([alone({ service: 'chat-web' }, { 'websocket.route': '/rooms/:id' })]));
    assert.equal(await metricValue(collector.deps, 'closewatch_ws_closes_total', { service: 'chat-web', route: '/rooms/:id' }), 1);
    assert.equal(await metricValue(collector.deps, 'closewatch_ws_closes_total', { service: 'noisy', route: '__other__' }), 7);
  });

  it("the attribute cap keeps the contract's keys before app attributes that came first", async (t) => {
    const collector = await startTestCollector(t);
    const app = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`app.attribute_${i}`, i]));
    const span = alone();
    const request = otlpJson([{ ...span, attributes: {} }]) as {
      resourceSpans: Array<{ resource: { attributes: unknown[] }; scopeSpans: Array<{ spans: Array<{ attributes: unknown[] }> }> }>;
    };
    const appFirst = otlpJson([{ ...span, attributes: app }]) as typeof request;
    const contract = otlpJson([
      {
        ...span,
        attributes: {
          ...span.attributes,
          'websocket.close.code': 4001,
          'url.full': 'wss://chat.example/rooms/7',
          'error.type': 'ECONNRESET',
          'network.connection.effective_type': '4g',
        },
      },
    ]) as typeof request;
    const resource = request.resourceSpans[0].resource;
    resource.attributes = [...Array.from({ length: 80 }, (_, i) => ({ key: `host.label_${i}`, value: { stringValue: 'x' } })), ...resource.attributes];
    request.resourceSpans[0].scopeSpans[0].spans[0].attributes = [
      ...appFirst.resourceSpans[0].scopeSpans[0].spans[0].attributes,
      ...contract.resourceSpans[0].scopeSpans[0].spans[0].attributes,
    ];
    await post(collector.url, request);
    const record = await collector.deps.store.getConnection(`${span.traceId}-${span.spanId}`);
    const attributes = record!.client!.attributes;
    assert.equal(Object.keys(attributes).length, ATTRIBUTE_CAPS.maxAttributesPerSpan);
    assert.equal(attributes['websocket.close.code'], 4001);
    assert.equal(attributes['url.full'], 'wss://chat.example/rooms/7');
    assert.equal(attributes['error.type'], 'ECONNRESET');
    assert.equal(attributes['network.connection.effective_type'], '4g');
    assert.equal(attributes['app.attribute_0'], 0, 'app attributes fill the rest in arrival order');
    assert.equal('app.attribute_199' in attributes, false);
    assert.equal(record!.outcome?.code, 4001);
    assert.equal(record!.outcome?.cause, 'application_close');
    assert.equal(record!.client!.service, 'chat-web', 'service.name after 80 other resource attributes is kept');
  });
});
