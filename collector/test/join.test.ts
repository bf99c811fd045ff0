import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDatabaseOrSkip } from '@closewatch/test/harness';
import { clientSpan, serverSpanFor } from './support/otlp-fixtures.js';
import { closesCounted, idOf, send, sweeperOf, terminatedPair } from './support/join-helpers.js';
import { ManualClock, metricValue, startTestCollector } from './support/test-collector.js';

describe('join and classify', () => {
  for (const order of ['client first', 'server first'] as const) {
    it(`joins the two sides of a connection arriving ${order} and counts it once`, async (t) => {
      const collector = await startTestCollector(t);
      const [client, server] = terminatedPair();
      const [first, second] = order === 'client first' ? [client, server] : [server, client];
      await send(collector, [first]);
      const pending = await collector.deps.store.getConnection(idOf(client));
      assert.equal(pending?.final, false, 'one side of a propagated connection waits for the other');
      assert.equal(await collector.deps.store.countPending(), 1);
      await send(collector, [second]);
      const record = await collector.deps.store.getConnection(idOf(client));
      assert.equal(record?.final, true);
      assert.ok(record.client && record.server, 'the record holds both sides');
      assert.equal(record.outcome?.observedBy, 'both');
      assert.equal(record.outcome?.cause, 'server_terminated');
      assert.ok(record.outcome?.evidence.length, 'the record carries evidence');
      assert.equal(record.outcome?.code, 1006);
      assert.equal(record.outcome?.route, '/rooms/:id');
      assert.equal(await closesCounted(collector), 1);
      assert.equal(await metricValue(collector.deps, 'closewatch_ws_closes_total', { cause: 'server_terminated', observed_by: 'both', code: '1006' }), 1);
    });
  }

  it('finalises at once a side that expects no peer', async (t) => {
    const collector = await startTestCollector(t);
    const client = clientSpan();
    const orphanServer = { ...serverSpanFor(client), parentSpanId: undefined };
    const unpropagated = clientSpan({}, { 'websocket.propagated': false });
    await send(collector, [orphanServer, unpropagated]);
    const server = await collector.deps.store.getConnection(`${orphanServer.traceId}-${orphanServer.spanId}`);
    assert.equal(server?.final, true);
    assert.equal(server.outcome?.observedBy, 'server');
    assert.equal((await collector.deps.store.getConnection(idOf(unpropagated)))?.outcome?.observedBy, 'client');
    assert.equal(await closesCounted(collector), 2);
  });

  it('finalises one side when the join window on the receive clock expires; a late side is kept as evidence and the count stands', async (t) => {
    const clock = new ManualClock();
    const collector = await startTestCollector(t, { joinWindowMs: 30_000 }, clock);
    const sweeper = sweeperOf(collector);
    const [client, server] = terminatedPair();
    await send(collector, [client]);
    assert.equal(await sweeper.sweepOnce(), 0, 'nothing expires inside the window');
    clock.ms += 30_001;
    assert.equal(await sweeper.sweepOnce(), 1);
    const alone = await collector.deps.store.getConnection(idOf(client));
    assert.equal(alone?.final, true);
    assert.equal(alone.outcome?.observedBy, 'client');
    assert.equal(alone.outcome?.cause, 'unknown');
    assert.equal(await metricValue(collector.deps, 'closewatch_join_expired_total'), 1);
    assert.equal(await closesCounted(collector), 1);

    clock.ms += 15_000;
    await send(collector, [server]);
    const late = await collector.deps.store.getConnection(idOf(client));
    assert.ok(late?.client && late.server, 'the late side is stored with the record');
    assert.equal(late.outcome?.cause, 'unknown', 'the counted cause stands');
    assert.equal(late.outcome?.observedBy, 'client');
    assert.match(
      late.outcome.evidence.at(-1)!,
      /^Late server side: it arrived 15\.0 s after this connection was counted as unknown; with both sides the cause would be server_terminated/,
    );
    assert.equal(await closesCounted(collector), 1, 'the connection is not counted again');
    assert.equal(await metricValue(collector.deps, 'closewatch_join_late_sides_total', { side: 'server', cause_differs: 'true' }), 1);
    assert.equal(await sweeper.sweepOnce(), 0);

    await send(collector, [server]);
    const retried = await collector.deps.store.getConnection(idOf(client));
    assert.equal(retried?.outcome?.evidence.filter((line) => line.startsWith('Late ')).length, 1, 'a retried late side leaves one note');
    assert.equal(await metricValue(collector.deps, 'closewatch_join_late_sides_total', { side: 'server', cause_differs: 'true' }), 1, 'and is counted once');
  });

  it('bounds the pending state: past the limit a side is finalised alone and counted as overflow', async (t) => {
    const collector = await startTestCollector(t, { maxPendingConnections: 0 });
    const client = clientSpan();
    await send(collector, [client]);
    assert.equal((await collector.deps.store.getConnection(idOf(client)))?.final, true);
    assert.equal(await metricValue(collector.deps, 'closewatch_join_overflow_total'), 1);
  });
});

describe('join across instances', () => {
  it('joins the two sides when they reach different instances sharing one PostgreSQL', async (t) => {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return;
    const first = await startTestCollector(t, { databaseUrl: database.url });
    const second = await startTestCollector(t, { databaseUrl: database.url });
    const pairs = Array.from({ length: 10 }, terminatedPair);
    await Promise.all(pairs.map(([client, server]) => Promise.all([send(first, [client]), send(second, [server])])));
    for (const [client] of pairs) {
      const record = await first.deps.store.getConnection(idOf(client));
      assert.equal(record?.final, true);
      assert.equal(record.outcome?.observedBy, 'both');
      assert.equal(record.outcome?.cause, 'server_terminated');
    }
    assert.equal((await closesCounted(first)) + (await closesCounted(second)), pairs.length, 'each connection is counted by one instance');
    assert.equal(await first.deps.store.countPending(), 0);
  });

  it('lets exactly one instance finalise an expired join', async (t) => {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return;
    const clock = new ManualClock();
    const first = await startTestCollector(t, { databaseUrl: database.url }, clock);
    const second = await startTestCollector(t, { databaseUrl: database.url }, clock);
    const clients = Array.from({ length: 20 }, () => clientSpan());
    await send(first, clients);
    clock.ms = Math.max(...clients.map((client) => client.endMs)) + 60_000;
    const [a, b] = await Promise.all([sweeperOf(first).sweepOnce(), sweeperOf(second).sweepOnce()]);
    assert.equal(a + b, clients.length);
    assert.equal((await closesCounted(first)) + (await closesCounted(second)), clients.length);
  });
});
