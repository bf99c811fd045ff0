import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readJournal, sideLine, sideOfLine } from '../src/store/duckdb/journal-lines.js';
import type { Journal } from '../src/store/duckdb/journal.js';
import { mergePending, type PendingConnection } from '../src/store/duckdb/pending-sides.js';
import { decodeSide, encodeSide } from '../src/store/duckdb/side-codec.js';
import type { StoredSide } from '../src/store/store.js';
import { storedSide, T0 } from './store-fixtures.js';

function pendingOf(span: StoredSide): PendingConnection {
  const id = `${span.traceId}-${span.spanId}`;
  return mergePending(undefined, { id, traceId: span.traceId, client: span, server: null, joinDeadlineMs: T0 + 30_000, startTimeMs: span.startTimeMs, endTimeMs: span.endTimeMs, updatedAtMs: span.receivedAtMs }, 0);
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
  assert.deepEqual(JSON.parse(line).f, 123);
});

test('a side whose trace id is not its connection\'s keeps its own', () => {
  const span = storedSide('server', { traceId: 'f'.repeat(32) });
  assert.deepEqual(decodeSide(JSON.parse(JSON.stringify(encodeSide(span, 'e'.repeat(32)))), 'e'.repeat(32)), span);
});

test('side lines written before the compact form (the side as an object under "p") still read back and rebuild pending connections', async () => {
  const span = storedSide('client');
  const pending = pendingOf(span);
  const legacy = JSON.stringify({ i: pending.id, t: pending.traceId, d: pending.joinDeadlineMs, s: pending.startTimeMs, e: pending.endTimeMs, u: pending.updatedAtMs, f: 0, p: span });
  assert.deepEqual(sideOfLine(legacy), span);
  const journal = {
    lastLine: async () => legacy,
    scan: async (_from: number, visit: (line: string, position: number) => void) => visit(legacy, 0),
  } as unknown as Journal;
  const { pending: rebuilt } = await readJournal(journal, 0, 0);
  assert.equal(rebuilt.length, 1);
  assert.deepEqual(rebuilt[0]!.client, span);
  assert.equal(rebuilt[0]!.joinDeadlineMs, T0 + 30_000);
});
