import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEverything } from './support/api-reads.js';
import { clientSpan, otlpJson, otlpJsonBody, otlpProtobufBody, type SpanSpec } from './support/otlp-fixtures.js';
import { STORE_KINDS, startOn } from './support/store-under-test.js';

const EMOJI = '\u{1F600}';
const LONE_HIGH = '\ud83d';

/** A span final at once (no peer expected). */
function alone(overrides: Partial<SpanSpec> = {}, attributes: SpanSpec['attributes'] = {}): SpanSpec {
  return clientSpan(overrides, { 'websocket.propagated': false, ...attributes });
}

function idOf(span: SpanSpec): string {
  return `${span.traceId}-${span.spanId}`;
}

/** The hostile strings of issue #17: a lone surrogate, and caps that fall inside an emoji. */
function hostileSpans() {
  const lone = alone({}, { 'websocket.close.reason': `bye ${LONE_HIGH}`, [`app.key${LONE_HIGH}`]: `x${'\udc00'}y` });
  lone.events = [{ name: `websocket.error${LONE_HIGH}`, timeMs: lone.endMs }];
  const longService = alone({ service: `${'a'.repeat(127)}${EMOJI}` });
  const longReason = alone({}, { 'websocket.close.reason': `${'r'.repeat(1023)}${EMOJI}tail` });
  // the app's own words become the outcome's app reason, cut to 256 units
  const longAppReason = alone({}, { 'websocket.app.protocol': 'socket.io', 'websocket.app.close_reason': `${'p'.repeat(255)}${EMOJI}` });
  const longConnectError = alone({}, { 'websocket.app.protocol': 'socket.io', 'websocket.app.connect_error': `${'c'.repeat(240)}${EMOJI}` });
  return { lone, longService, longReason, longAppReason, longConnectError };
}

describe('every stored string is well-formed', () => {
  for (const kind of STORE_KINDS) {
    it(`a lone surrogate and caps inside an emoji are stored as well-formed text, readable after a restart (${kind})`, async (t) => {
      const collector = await startOn(kind, t);
      if (!collector) return;
      const { url } = collector.current;
      const { lone, longService, longReason, longAppReason, longConnectError } = hostileSpans();
      const beaconBody = JSON.stringify(otlpJson([lone]));
      assert.ok(beaconBody.includes('bye \\ud83d'), 'the body carries the escape a hostile client sends');
      const answers = [
        await fetch(`${url}/v1/beacon`, { method: 'POST', body: beaconBody, headers: { 'content-type': 'text/plain' } }),
        await fetch(`${url}/v1/traces`, { method: 'POST', body: otlpJsonBody([longService]), headers: { 'content-type': 'application/json' } }),
        await fetch(`${url}/v1/traces`, {
          method: 'POST',
          body: otlpProtobufBody([longReason, longAppReason, longConnectError]),
          headers: { 'content-type': 'application/x-protobuf' },
        }),
      ];
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [200, 200, 200],
      );

      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.ok(metrics.includes(`service="${'a'.repeat(127)}"`), 'the service label is the name cut before the emoji');

      for (const reading of ['before', 'after'] as const) {
        if (reading === 'after') await collector.restart();
        const { details } = await readEverything(collector.current.url);
        const byId = new Map(details.map((detail) => [detail.id as string, detail as { outcome: Record<string, unknown>; client: Record<string, unknown> }]));
        assert.equal(byId.size, 5, `all five connections are readable ${reading} the restart`);
        const loneRecord = byId.get(idOf(lone))!;
        assert.equal(loneRecord.outcome.reason, 'bye \uFFFD', 'a lone surrogate becomes U+FFFD');
        const attributes = loneRecord.client.attributes as Record<string, unknown>;
        assert.equal(attributes['app.key\uFFFD'], 'x\uFFFDy', 'in attribute keys and values');
        assert.equal((loneRecord.client.events as Array<{ name: string }>)[0].name, 'websocket.error\uFFFD', 'in event names');
        assert.equal(byId.get(idOf(longService))!.outcome.service, 'a'.repeat(127), 'a cap never splits an emoji');
        assert.equal(byId.get(idOf(longReason))!.outcome.reason, 'r'.repeat(1023), 'the 1024-unit cap drops the emoji it would split');
        assert.equal(byId.get(idOf(longAppReason))!.outcome.appReason, 'p'.repeat(255), "the app reason's 256-unit cut drops the emoji it would split");
        assert.equal(byId.get(idOf(longConnectError))!.outcome.appReason, `connect_error: ${'c'.repeat(240)}`, "so does a connect error's");
      }
    });
  }
});
