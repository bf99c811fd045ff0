import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { ClassifyOptions } from '@closewatch/conventions';
import { SideWriter } from '../src/ingest/side-writer.js';
import { JoinSweeper } from '../src/join/join-sweeper.js';
import { createCollectorMetrics } from '../src/metrics/collector-metrics.js';
import type { AbruptEnd, AgentSighting, MassDropEvent } from '../src/fleet/fleet-store.js';
import type { ConnectionRecord, IncomingSide, Store } from '../src/store/store.js';
import { T0, incoming } from './store-fixtures.js';

export interface FleetFixture {
  /** A fresh, empty, migrated store, closed after the test. */
  open(t: TestContext): Promise<Store>;
  /** Another instance on the same database as the last `open`; only for shared stores. */
  openPeer?: (t: TestContext) => Promise<Store>;
}

const OPTIONS: ClassifyOptions = { massDropMinConnections: 3, massDropWindowMs: 2_000 };
const SERVER_ABRUPT = {
  'websocket.close.code': 1006,
  'websocket.close.was_clean': false,
  'websocket.termination': 'socket_end',
  'websocket.opened': true,
  'websocket.phase': 'open',
  'websocket.route': '/live',
};
const CLIENT_ABRUPT = {
  'websocket.close.code': 1006,
  'websocket.close.was_clean': false,
  'websocket.opened': true,
  'websocket.phase': 'open',
  'url.full': 'ws://app.test:8080/live',
  'websocket.propagated': true,
};

function sighting(overrides: Partial<AgentSighting> = {}): AgentSighting {
  return {
    side: 'server',
    service: 'chat',
    instance: 'chat-a',
    route: '/live',
    scope: '@closewatch/agent-node 0.1.0',
    firstSeenMs: T0,
    lastSeenMs: T0,
    spans: 1,
    ...overrides,
  };
}

function end(connectionId: string, endTimeMs: number, overrides: Partial<AbruptEnd> = {}): AbruptEnd {
  return { connectionId, side: 'client', endTimeMs, service: 'web', instance: '', route: '/live', target: 'app.test:8080/live', ...overrides };
}

function drop(overrides: Partial<MassDropEvent> = {}): MassDropEvent {
  return {
    id: 'server_gone:k:1',
    cause: 'server_gone',
    group: 'client_target',
    route: '/live',
    target: 'app.test:8080/live',
    service: 'chat',
    instance: 'chat-a',
    connections: 4,
    firstEndMs: T0 + 100,
    lastEndMs: T0 + 140,
    lastSeenMs: T0 - 5_000,
    detectedAtMs: T0 + 10_000,
    ...overrides,
  };
}

/** The server side of a connection `id`, from instance `instance`, ending at `endMs`. */
function serverSide(id: string, instance: string, endMs: number, attributes: Record<string, unknown> = SERVER_ABRUPT): IncomingSide {
  return incoming(id, 'server', {
    resource: { 'service.name': 'chat', 'service.instance.id': instance },
    attributes: attributes as IncomingSide['span']['attributes'],
    events: [],
    startTimeMs: endMs - 60_000,
    endTimeMs: endMs,
    receivedAtMs: endMs + 200,
  });
}

function clientSide(id: string, endMs: number): IncomingSide {
  return incoming(
    id,
    'client',
    {
      service: 'web',
      resource: { 'service.name': 'web' },
      scope: { name: '@closewatch/agent-browser', version: '0.1.0' },
      attributes: CLIENT_ABRUPT,
      events: [],
      startTimeMs: endMs - 60_000,
      endTimeMs: endMs,
      receivedAtMs: endMs + 300,
    },
    endMs + 5_000,
  );
}

/** The collector's write path and sweeper on `store`, with a clock the test moves. */
function pipeline(store: Store) {
  let nowMs = T0;
  const deps = {
    store,
    metrics: createCollectorMetrics({ processMetrics: false, maxRouteLabels: 50, maxServiceLabels: 50, pendingConnections: () => store.countPending() }),
    now: () => nowMs,
    classifyOptions: OPTIONS,
  };
  const writer = new SideWriter(deps);
  const sweeper = new JoinSweeper(deps, { intervalMs: 1000 });
  return {
    write: (sides: IncomingSide[], alone: string[] = []) => writer.write(sides, new Set(alone)),
    sweepAt: async (ms: number) => {
      nowMs = ms;
      return sweeper.sweepOnce();
    },
  };
}

async function outcomeOf(store: Store, id: string): Promise<NonNullable<ConnectionRecord['outcome']>> {
  const record = await store.getConnection(id);
  assert.ok(record?.outcome, `${id} is final`);
  return record.outcome;
}

/** Waits until the agent recorder's first write (it writes the first sighting at once, asynchronously). */
async function agentsKnown(store: Store, count: number): Promise<void> {
  for (let i = 0; i < 200 && (await store.fleet.listAgents()).length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Instance chat-a of service chat reports on /live: its last span, a normal close, 10 s before T0. */
async function warmInstance(collector: ReturnType<typeof pipeline>, store: Store): Promise<void> {
  await collector.write(
    [
      serverSide('warm', 'chat-a', T0 - 10_000, {
        'websocket.close.code': 1000,
        'websocket.close.was_clean': true,
        'websocket.route': '/live',
        'websocket.opened': true,
      }),
    ],
    ['warm'],
  );
  await agentsKnown(store, 1);
}

/** The fleet part of the store contract, and the mass-drop rule run on each store's state. */
export function fleetContract(name: string, fixture: FleetFixture): void {
  describe(`Fleet contract: ${name}`, () => {
    test('agent sightings merge per side, service, instance and route: first seen earliest, last seen latest, spans added', async (t) => {
      const store = await fixture.open(t);
      await store.fleet.recordAgents([sighting({ lastSeenMs: T0 + 10 }), sighting({ firstSeenMs: T0 - 50, lastSeenMs: T0, spans: 2 })]);
      await store.fleet.recordAgents([
        sighting({ firstSeenMs: T0 + 500, lastSeenMs: T0 + 900, scope: '@closewatch/agent-node 0.2.0' }),
        sighting({ route: '/other' }),
      ]);
      const agents = (await store.fleet.listAgents()).sort((a, b) => a.route.localeCompare(b.route));
      assert.deepEqual(agents, [
        sighting({ firstSeenMs: T0 - 50, lastSeenMs: T0 + 900, spans: 4, scope: '@closewatch/agent-node 0.2.0' }),
        sighting({ route: '/other' }),
      ]);
    });

    test('abrupt ends are read by end time within the range, one per connection side', async (t) => {
      const store = await fixture.open(t);
      await store.fleet.recordAbruptEnds([end('a', T0), end('b', T0 + 1_000), end('c', T0 + 5_000), end('a', T0)]);
      const ends = await store.fleet.abruptEnds(T0, T0 + 1_000, 100);
      assert.deepEqual(ends.map((e) => e.connectionId).sort(), ['a', 'b']);
      assert.deepEqual(
        ends.find((e) => e.connectionId === 'a'),
        end('a', T0),
      );
      assert.equal((await store.fleet.abruptEnds(T0, T0 + 10_000, 2)).length, 2);
    });

    test('mass drops upsert by id (larger count, wider span) and list when they overlap the range', async (t) => {
      const store = await fixture.open(t);
      await store.fleet.recordMassDrops([drop()]);
      await store.fleet.recordMassDrops([drop({ connections: 6, firstEndMs: T0 + 90, lastEndMs: T0 + 120, detectedAtMs: T0 + 11_000 })]);
      assert.deepEqual(await store.fleet.listMassDrops(T0 + 130, T0 + 200), [drop({ connections: 6, firstEndMs: T0 + 90 })]);
      assert.deepEqual(await store.fleet.listMassDrops(T0 + 200, T0 + 300), []);
    });

    test('retention removes abrupt ends and mass drops that ended before the cutoff, and agents not seen since', async (t) => {
      const store = await fixture.open(t);
      await store.fleet.recordAgents([sighting({ instance: 'old', lastSeenMs: T0 - 10 }), sighting({ instance: 'new', lastSeenMs: T0 + 10 })]);
      await store.fleet.recordAbruptEnds([end('old', T0 - 10), end('new', T0 + 10)]);
      await store.fleet.recordMassDrops([drop({ id: 'old', firstEndMs: T0 - 20, lastEndMs: T0 - 10 }), drop({ id: 'new' })]);
      await store.deleteOlderThan(T0);
      assert.deepEqual(
        (await store.fleet.listAgents()).map((a) => a.instance),
        ['new'],
      );
      assert.deepEqual(
        (await store.fleet.abruptEnds(T0 - 1_000, T0 + 1_000, 10)).map((e) => e.connectionId),
        ['new'],
      );
      assert.deepEqual(
        (await store.fleet.listMassDrops(T0 - 1_000, T0 + 1_000)).map((d) => d.id),
        ['new'],
      );
    });

    test('clients alone that dropped at once after the server instance went silent: each is server_gone once the join window passes, with one mass drop', async (t) => {
      const store = await fixture.open(t);
      const collector = pipeline(store);
      await warmInstance(collector, store);
      const ids = ['k1', 'k2', 'k3', 'k4'];
      for (const [i, id] of ids.entries()) await collector.write([clientSide(id, T0 + 100 + i * 10)]);
      // a client that dropped 30 s later is not part of that drop
      await collector.write([clientSide('late', T0 + 30_000)]);
      await collector.sweepAt(T0 + 20_000);
      for (const id of ids) {
        const outcome = await outcomeOf(store, id);
        assert.equal(outcome.cause, 'server_gone', outcome.evidence.join(' '));
        assert.match(outcome.evidence.join(' '), /Within 30 ms, 4 connections to app\.test:8080\/live ended abruptly/);
        assert.match(outcome.evidence.join(' '), /Instance chat-a of service chat \(serving \/live\) stopped reporting/);
      }
      await collector.sweepAt(T0 + 60_000);
      const late = await outcomeOf(store, 'late');
      assert.equal(late.cause, 'unknown');
      assert.match(
        late.evidence.join(' '),
        /No server span: instance chat-a of service chat stopped reporting: its last span arrived at .*, before this connection ended/,
      );
      const drops = await store.fleet.listMassDrops(T0, T0 + 1_000);
      assert.equal(drops.length, 1, JSON.stringify(drops));
      assert.equal(drops[0].connections, 4);
      assert.equal(drops[0].instance, 'chat-a');
    });

    test('fewer clients than massDropMinConnections dropping at once stay unknown', async (t) => {
      const store = await fixture.open(t);
      const collector = pipeline(store);
      await warmInstance(collector, store);
      await collector.write([clientSide('k1', T0 + 100), clientSide('k2', T0 + 110)]);
      await collector.sweepAt(T0 + 20_000);
      assert.equal((await outcomeOf(store, 'k1')).cause, 'unknown');
      assert.deepEqual(await store.fleet.listMassDrops(T0, T0 + 1_000), []);
    });

    test('connections of one server instance that ended abruptly at once, server and client seen: intermediary_dropped; another instance is another group', async (t) => {
      const store = await fixture.open(t);
      const collector = pipeline(store);
      const ids = ['d1', 'd2', 'd3'];
      await collector.write(ids.map((id) => clientSide(id, T0 + 100)));
      await collector.write([...ids.map((id, i) => serverSide(id, 'chat-b', T0 + 100 + i)), serverSide('other', 'chat-c', T0 + 101)]);
      for (const id of ids) {
        const outcome = await outcomeOf(store, id);
        assert.equal(outcome.cause, 'intermediary_dropped', outcome.evidence.join(' '));
        assert.match(outcome.evidence.join(' '), /3 connections of instance chat-b of service chat on \/live ended abruptly/);
      }
      await collector.sweepAt(T0 + 60_000);
      assert.equal((await outcomeOf(store, 'other')).cause, 'connection_lost');
      const [event] = await store.fleet.listMassDrops(T0, T0 + 1_000);
      assert.equal(event?.cause, 'intermediary_dropped');
      assert.equal(event?.instance, 'chat-b');
    });

    if (fixture.openPeer) {
      const openPeer = fixture.openPeer;
      test('another collector instance on the same database sees the agents, abrupt ends and mass drops', async (t) => {
        const store = await fixture.open(t);
        const peer = await openPeer(t);
        await store.fleet.recordAgents([sighting()]);
        await store.fleet.recordAbruptEnds([end('a', T0)]);
        await store.fleet.recordMassDrops([drop()]);
        assert.deepEqual(await peer.fleet.listAgents(), [sighting()]);
        assert.deepEqual(await peer.fleet.abruptEnds(T0 - 1, T0 + 1, 10), [end('a', T0)]);
        assert.equal((await peer.fleet.listMassDrops(T0, T0 + 1_000)).length, 1);
      });
    }
  });
}
