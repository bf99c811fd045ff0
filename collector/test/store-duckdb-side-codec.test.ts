import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readJournal, sideLine, sideOfLine, type SideLine } from '../src/store/duckdb/journal-lines.js';
import type { Journal } from '../src/store/duckdb/journal.js';
import { mergePending, type PendingConnection } from '../src/store/duckdb/pending-sides.js';
import { decodeSide, encodeSide } from '../src/store/duckdb/side-codec.js';
import type { StoredSide } from '../src/store/store.js';
import { storedSide, T0 } from './store-fixtures.js';

function pendingOf(span: StoredSide): PendingConnection {
  const id = `${span.traceId}-${span.spanId}`;
  return mergePending(
    undefined,
    {
      id,
      traceId: span.traceId,
      client: span,
      server: null,
      joinDeadlineMs: T0 + 30_000,
      startTimeMs: span.startTimeMs,
      endTimeMs: span.endTimeMs,
      updatedAtMs: span.receivedAtMs,
    },
    0,
  );
}

test('a side line reads back as the same side: known and unknown attribute keys, arrays, events, text that needs escaping', () => {
  const span = storedSide('client', {
    service: 'chat "web"\n',
    resource: { 'service.name': 'chat "web"\n', 'host.name': 'h1' },
    attributes: {
      'websocket.close.code': 1006,
      'websocket.close.reason': 'bye\u0000 "now"',
      'websocket.subprotocols.requested': ['chat.v2', 'chat.v1'],
      'websocket.handshake.duration_ms': 41.5,
      'app.custom': true,
      '0': 'an integer-like key',
      '7': 'not the index 7',
    },
    events: [{ name: 'browser.offline', timeMs: T0 + 5, attributes: { 'browser.online': false } }],
  });
  const line = sideLine(pendingOf(span), span, 123);
  assert.deepEqual(sideOfLine(line), span);
  assert.deepEqual((JSON.parse(line) as SideLine).f, 123);
});

test("a side whose trace id is not its connection's keeps its own", () => {
  const span = storedSide('server', { traceId: 'f'.repeat(32) });
  assert.deepEqual(decodeSide(JSON.parse(JSON.stringify(encodeSide(span, 'e'.repeat(32), T0))), 'e'.repeat(32), T0), span);
});

test('a side line writes times as offsets from the connection start, and a connection open for weeks still reads back', async () => {
  const span = storedSide('client', { endTimeMs: T0 + 20 * 86_400_000, receivedAtMs: T0 + 20 * 86_400_000 + 7 });
  const pending = pendingOf(span);
  const line = sideLine(pending, span, 0);
  const parsed = JSON.parse(line) as SideLine;
  assert.equal(parsed.s, span.startTimeMs);
  assert.equal(parsed.d, T0 + 30_000 - span.startTimeMs);
  assert.ok(!line.includes(String(span.receivedAtMs)), 'no absolute time but the base');
  assert.deepEqual(sideOfLine(line), span);
  const journal = {
    lastLine: () => Promise.resolve(line),
    scan: (_from: number, visit: (line: string, position: number) => void) => {
      visit(line, 0);
      return Promise.resolve();
    },
  } as unknown as Journal;
  const [rebuilt] = (await readJournal(journal, 0, 0)).pending;
  assert.deepEqual(
    { deadline: rebuilt.joinDeadlineMs, start: rebuilt.startTimeMs, end: rebuilt.endTimeMs, updated: rebuilt.updatedAtMs, client: rebuilt.client },
    { deadline: T0 + 30_000, start: span.startTimeMs, end: span.endTimeMs, updated: span.receivedAtMs, client: span },
  );
});

test('side lines written before times were offsets (the compact side under "c", absolute times) still read back', async () => {
  const span = storedSide('server', { events: [{ name: 'websocket.open', timeMs: T0 + 40 }] });
  const pending = pendingOf(span);
  const encoded = [
    1,
    span.spanId,
    span.parentSpanId,
    span.service,
    span.resource,
    span.scope.name,
    span.scope.version,
    span.startTimeMs,
    span.endTimeMs,
    span.receivedAtMs,
    ['0', 1000],
    span.events,
  ];
  const old = JSON.stringify({
    i: pending.id,
    t: pending.traceId,
    d: pending.joinDeadlineMs,
    s: pending.startTimeMs,
    e: pending.endTimeMs,
    u: pending.updatedAtMs,
    f: 0,
    c: encoded,
  });
  assert.deepEqual(sideOfLine(old), { ...span, attributes: { '0': 1000 } });
  const journal = {
    lastLine: () => Promise.resolve(old),
    scan: (_from: number, visit: (line: string, position: number) => void) => {
      visit(old, 0);
      return Promise.resolve();
    },
  } as unknown as Journal;
  const [rebuilt] = (await readJournal(journal, 0, 0)).pending;
  assert.equal(rebuilt.joinDeadlineMs, T0 + 30_000);
  assert.equal(rebuilt.endTimeMs, span.endTimeMs);
});

test('side lines written before the compact form (the side as an object under "p") still read back and rebuild pending connections', async () => {
  const span = storedSide('client');
  const pending = pendingOf(span);
  const legacy = JSON.stringify({
    i: pending.id,
    t: pending.traceId,
    d: pending.joinDeadlineMs,
    s: pending.startTimeMs,
    e: pending.endTimeMs,
    u: pending.updatedAtMs,
    f: 0,
    p: span,
  });
  assert.deepEqual(sideOfLine(legacy), span);
  const journal = {
    lastLine: () => Promise.resolve(legacy),
    scan: (_from: number, visit: (line: string, position: number) => void) => {
      visit(legacy, 0);
      return Promise.resolve();
    },
  } as unknown as Journal;
  const { pending: rebuilt } = await readJournal(journal, 0, 0);
  assert.equal(rebuilt.length, 1);
  assert.deepEqual(rebuilt[0].client, span);
  assert.equal(rebuilt[0].joinDeadlineMs, T0 + 30_000);
});
