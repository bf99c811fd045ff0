import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { CollectorError } from '../src/errors.js';
import { CLAIM_LEASE_MS } from '../src/store/store-limits.js';
import type { CloseFilter, ConnectionOutcome, Store } from '../src/store/store.js';
import { HOUR, T0, ids, incoming, outcome, storedSide } from './store-fixtures.js';

/** How a test file provides stores to the contract suite. */
export interface StoreFixture {
  /** A fresh, empty, migrated store, closed after the test. */
  open(t: TestContext): Promise<Store>;
  /** Another instance on the same database as the last `open` (a second collector); only for shared stores. */
  openPeer?: (t: TestContext) => Promise<Store>;
}

const DAY = 24 * HOUR;
const ALL: CloseFilter = { fromMs: T0 - DAY, toMs: T0 + 7 * DAY };

/** Writes one client side per connection and finalizes it with its outcome. */
async function seedFinal(store: Store, rows: Array<{ id: string; outcome: ConnectionOutcome }>): Promise<void> {
  await store.upsertSides(rows.map((r) => incoming(r.id, 'client', { endTimeMs: r.outcome.endTimeMs })));
  const became = await store.finalize(rows, T0 + DAY);
  assert.equal(became.length, rows.length);
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof CollectorError && error.code === code);
}

/** The one suite both implementations pass; each test states one semantic of the Store contract. */
export function storeContract(name: string, fixture: StoreFixture): void {
  describe(`Store contract: ${name}`, () => {
    test('migrate() is idempotent and keeps data', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([incoming('m1', 'client')]);
      await store.migrate();
      assert.notEqual(await store.getConnection('m1'), null);
      await store.ping();
    });

    test('client side from one call and server side from a later call merge into one row with both', async (t) => {
      const store = await fixture.open(t);
      const [first] = await store.upsertSides([incoming('c1', 'client')]);
      assert.equal(first.id, 'c1');
      assert.deepEqual(first.client, storedSide('client', { traceId: 'trace-c1' }));
      assert.equal(first.server, null);
      assert.equal(first.final, false);
      assert.equal(first.joinDeadlineMs, T0 + 35_000);

      const [merged] = await store.upsertSides([incoming('c1', 'server')]);
      assert.deepEqual(merged.client, storedSide('client', { traceId: 'trace-c1' }));
      assert.deepEqual(merged.server, storedSide('server', { traceId: 'trace-c1' }));
      assert.equal(merged.traceId, 'trace-c1');
      assert.deepEqual(await store.getConnection('c1'), merged);
      assert.equal(await store.countPending(), 1);
    });

    test('both sides in one batch make one row', async (t) => {
      const store = await fixture.open(t);
      const rows = await store.upsertSides([incoming('b1', 'client'), incoming('b1', 'server'), incoming('b2', 'server')]);
      assert.deepEqual(rows.map((r) => r.id).sort(), ['b1', 'b2']);
      const b1 = rows.find((r) => r.id === 'b1');
      assert.ok(b1?.client && b1.server);
      assert.equal(await store.countPending(), 2);
    });

    test('a retried side replaces the stored one and never duplicates the connection', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([incoming('r1', 'client', { attributes: { 'websocket.close.code': 1006 } })]);
      const [again] = await store.upsertSides([incoming('r1', 'client', { attributes: { 'websocket.close.code': 1001 } })]);
      assert.deepEqual(again.client?.attributes, { 'websocket.close.code': 1001 });
      assert.equal(again.server, null);
      assert.equal(await store.countPending(), 1);
      await store.finalize([{ id: 'r1', outcome: outcome() }], T0 + 10_000);
      await store.upsertSides([incoming('r1', 'client')]);
      assert.equal((await store.summary(ALL)).total, 1);
    });

    test('a final row stays final with its counted outcome when a late side arrives; only its evidence can change', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([incoming('late', 'client')]);
      assert.deepEqual(await store.finalize([{ id: 'late', outcome: outcome({ observedBy: 'client', cause: 'unknown' }) }], T0 + 40_000), ['late']);

      const [row] = await store.upsertSides([incoming('late', 'server')]);
      assert.equal(row.final, true);
      assert.ok(row.client && row.server, 'returned with both sides so the caller can note the late side');
      assert.equal(row.outcome?.cause, 'unknown');
      assert.equal(row.finalizedAtMs, T0 + 40_000);

      assert.deepEqual(await store.finalize([{ id: 'late', outcome: outcome({ observedBy: 'both', cause: 'client_offline' }) }], T0 + 50_000), []);
      await store.updateEvidence([
        { id: 'late', evidence: ['counted alone', 'late server side: …'] },
        { id: 'nope', evidence: ['x'] },
      ]);
      const stored = await store.getConnection('late');
      assert.equal(stored?.outcome?.cause, 'unknown', 'the counted cause never changes');
      assert.equal(stored?.outcome?.observedBy, 'client');
      assert.deepEqual(stored?.outcome?.evidence, ['counted alone', 'late server side: …']);
      assert.ok(stored?.client && stored.server, 'the late side is kept');
      assert.equal(stored?.finalizedAtMs, T0 + 40_000, 'the first finalisation time is kept');
      assert.equal(await store.countPending(), 0);
      assert.equal(await store.getConnection('nope'), null);
      const summary = await store.summary(ALL);
      assert.equal(summary.total, 1);
      assert.deepEqual(
        summary.byCause.map((c) => c.cause),
        ['unknown'],
      );
    });

    test('distinct spans never merge: a server span whose slot holds another span is not written, pending or final', async (t) => {
      const store = await fixture.open(t);
      const first = incoming('shared', 'server', { spanId: 'server-a', receivedAtMs: T0 + 6_000 });
      const other = incoming('shared', 'server', { spanId: 'server-b', endTimeMs: T0 + 9_000, receivedAtMs: T0 + 10_000 }, T0 + 40_000);
      const [inOneBatch] = await store.upsertSides([first, other]);
      assert.equal(inOneBatch.server?.spanId, 'server-a', 'the first span of a batch keeps the slot');
      assert.equal(inOneBatch.joinDeadlineMs, T0 + 35_000);
      const [later] = await store.upsertSides([other]);
      assert.equal(later.server?.spanId, 'server-a', 'a pending slot is not overwritten');
      assert.equal(later.joinDeadlineMs, T0 + 35_000);
      const [retried] = await store.upsertSides([incoming('shared', 'server', { spanId: 'server-a', attributes: { 'websocket.close.code': 1011 } })]);
      assert.deepEqual(retried.server?.attributes, { 'websocket.close.code': 1011 }, 'the same span is replaced');
      await store.finalize([{ id: 'shared', outcome: outcome({ observedBy: 'server' }) }], T0 + 50_000);
      const [final] = await store.upsertSides([other]);
      assert.equal(final.final, true);
      assert.equal(final.server?.spanId, 'server-a', 'a final slot is not overwritten');
      assert.equal((await store.getConnection('shared'))?.server?.spanId, 'server-a');
    });

    test('finalize returns only ids that became final in this call, once each, and ignores unknown ids', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([incoming('f1', 'client'), incoming('f2', 'client'), incoming('f3', 'client')]);
      assert.deepEqual(await store.finalize([{ id: 'f1', outcome: outcome() }], T0), ['f1']);
      const became = await store.finalize(
        [
          { id: 'f1', outcome: outcome() },
          { id: 'f2', outcome: outcome() },
          { id: 'f2', outcome: outcome({ cause: 'unknown' }) },
          { id: 'nope', outcome: outcome() },
        ],
        T0,
      );
      assert.deepEqual(became, ['f2']);
      assert.equal((await store.getConnection('f2'))?.outcome?.cause, 'unknown', 'the last outcome given for an id wins');
      assert.equal(await store.getConnection('nope'), null);
      assert.equal(await store.countPending(), 1);
      assert.deepEqual(await store.finalize([], T0), []);
    });

    test('the app protocol and its own close reason round-trip with the outcome and filter the list', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([incoming('app1', 'server'), incoming('app2', 'client')]);
      const sio = outcome({ cause: 'server_heartbeat_timeout', code: 1005, appProtocol: 'socket.io', appReason: 'ping timeout' });
      const refused = outcome({ cause: 'app_connect_rejected', code: 1005, appProtocol: 'socket.io', appReason: 'connect_error: jeton expiré \u{1F511}' });
      await store.finalize(
        [
          { id: 'app1', outcome: sio },
          { id: 'app2', outcome: refused },
        ],
        T0 + 10_000,
      );
      assert.deepEqual((await store.getConnection('app1'))?.outcome, sio);
      assert.deepEqual((await store.getConnection('app2'))?.outcome, refused);
      assert.deepEqual(
        (await store.listCloses({ ...ALL, appReason: refused.appReason! }, 10)).items.map((item) => [item.id, item.appProtocol]),
        [['app2', 'socket.io']],
      );
    });

    test('claimExpired returns pending rows past their deadline, oldest first, each only once per lease', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([
        incoming('due-2', 'client', {}, T0 + 2_000),
        incoming('due-1', 'client', {}, T0 + 1_000),
        incoming('due-3', 'client', {}, T0 + 3_000),
        incoming('later', 'client', {}, T0 + 60_000),
        incoming('no-peer', 'server', {}, null),
        incoming('done', 'client', {}, T0),
      ]);
      await store.finalize([{ id: 'done', outcome: outcome() }], T0);

      const now = T0 + 10_000;
      assert.deepEqual(
        (await store.claimExpired(now, 2)).map((r) => r.id),
        ['due-1', 'due-2'],
      );
      const rest = await store.claimExpired(now, 10);
      assert.deepEqual(
        rest.map((r) => r.id),
        ['due-3'],
      );
      assert.equal(rest[0].final, false);
      assert.ok(rest[0].client);
      assert.deepEqual(await store.claimExpired(now, 10), [], 'claimed rows are not handed out again');

      await store.finalize([{ id: 'due-1', outcome: outcome() }], now);
      const afterLease = await store.claimExpired(now + CLAIM_LEASE_MS + 1, 10);
      assert.deepEqual(
        afterLease.map((r) => r.id),
        ['due-2', 'due-3', 'later'],
        'an unfinished claim comes back after its lease',
      );
    });

    test('countPending counts non-final rows', async (t) => {
      const store = await fixture.open(t);
      assert.equal(await store.countPending(), 0);
      await store.upsertSides(ids('p', 5).map((id) => incoming(id, 'client')));
      await store.finalize([{ id: 'p-000', outcome: outcome() }], T0);
      assert.equal(await store.countPending(), 4);
    });

    test('deleteOlderThan removes connections that ended before the cutoff and returns how many', async (t) => {
      const store = await fixture.open(t);
      await seedFinal(store, [
        { id: 'old', outcome: outcome({ endTimeMs: T0 - 20 * DAY }) },
        { id: 'new', outcome: outcome({ endTimeMs: T0 }) },
      ]);
      await store.upsertSides([incoming('old-pending', 'client', { endTimeMs: T0 - 20 * DAY })]);
      assert.equal(await store.deleteOlderThan(T0 - 14 * DAY), 2);
      assert.equal(await store.getConnection('old'), null);
      assert.equal(await store.getConnection('old-pending'), null);
      assert.notEqual(await store.getConnection('new'), null);
      assert.equal(await store.deleteOlderThan(T0 - 14 * DAY), 0);
    });

    test('summary aggregates totals, 1006 rate and every breakdown', async (t) => {
      const store = await fixture.open(t);
      await store.upsertSides([incoming('pending', 'client')]);
      await seedFinal(store, [
        { id: 's1', outcome: outcome({ code: 1006, cause: 'client_offline', phase: 'open', route: '/a', observedBy: 'both' }) },
        { id: 's2', outcome: outcome({ code: 1006, cause: 'client_offline', phase: 'open', route: '/a', observedBy: 'client' }) },
        { id: 's3', outcome: outcome({ code: 1006, cause: 'handshake_auth_rejected', phase: 'handshake', route: '/b', observedBy: 'both' }) },
        { id: 's4', outcome: outcome({ code: 1000, cause: 'normal_closure', phase: 'closing', route: '/b', observedBy: 'server' }) },
        { id: 's5', outcome: outcome({ code: null, cause: 'unknown', phase: 'open', service: 'feed', route: '/c', observedBy: 'server' }) },
      ]);
      const summary = await store.summary(ALL);
      assert.equal(summary.total, 5);
      assert.equal(summary.closes1006, 3);
      assert.equal(summary.rate1006, 3 / 5);
      assert.deepEqual(
        [...summary.byPhase].sort((a, b) => a.phase.localeCompare(b.phase)),
        [
          { phase: 'closing', total: 1, closes1006: 0, rate1006: 0 },
          { phase: 'handshake', total: 1, closes1006: 1, rate1006: 1 },
          { phase: 'open', total: 3, closes1006: 2, rate1006: 2 / 3 },
        ],
      );
      assert.deepEqual(summary.byCause[0], { cause: 'client_offline', count: 2, share: 2 / 5 });
      assert.equal(summary.byCause.length, 4);
      assert.deepEqual(summary.byCode[0], { code: 1006, count: 3 });
      assert.deepEqual(
        [...summary.byCode].sort((a, b) => (a.code ?? 0) - (b.code ?? 0)),
        [
          { code: null, count: 1 },
          { code: 1000, count: 1 },
          { code: 1006, count: 3 },
        ],
      );
      assert.deepEqual(summary.topServices, [
        { service: 'chat', total: 4, closes1006: 3, rate1006: 3 / 4 },
        { service: 'feed', total: 1, closes1006: 0, rate1006: 0 },
      ]);
      assert.deepEqual(summary.topRoutes[0], { service: 'chat', route: '/a', total: 2, closes1006: 2, rate1006: 1 });
      assert.equal(summary.topRoutes.length, 3);
      assert.deepEqual(
        [...summary.byObserver].sort((a, b) => a.observedBy.localeCompare(b.observedBy)),
        [
          { observedBy: 'both', count: 2 },
          { observedBy: 'client', count: 1 },
          { observedBy: 'server', count: 2 },
        ],
      );
      const top1 = await store.summary(ALL, 1);
      assert.deepEqual(
        top1.topRoutes.map((r) => r.route),
        ['/a'],
      );
      assert.equal(top1.topServices.length, 1);
      assert.equal(top1.byCause.length, 4, 'topN cuts only the top lists');
    });

    test('summary of an empty range is all zeros with rate 0', async (t) => {
      const store = await fixture.open(t);
      await seedFinal(store, [{ id: 'e1', outcome: outcome() }]);
      const summary = await store.summary({ fromMs: T0 + DAY, toMs: T0 + 2 * DAY });
      assert.deepEqual(summary, { total: 0, closes1006: 0, rate1006: 0, byPhase: [], byCause: [], byCode: [], topRoutes: [], topServices: [], byObserver: [] });
    });

    test('the time range is [fromMs, toMs) on the connection end time', async (t) => {
      const store = await fixture.open(t);
      await seedFinal(store, [
        { id: 'at-from', outcome: outcome({ endTimeMs: T0 }) },
        { id: 'before-to', outcome: outcome({ endTimeMs: T0 + HOUR - 1 }) },
        { id: 'at-to', outcome: outcome({ endTimeMs: T0 + HOUR }) },
      ]);
      const range = { fromMs: T0, toMs: T0 + HOUR };
      assert.equal((await store.summary(range)).total, 2);
      assert.deepEqual(
        (await store.listCloses(range, 10)).items.map((i) => i.id),
        ['before-to', 'at-from'],
      );
    });

    test('every filter selects the same connections in summary, timeseries and listCloses', async (t) => {
      const store = await fixture.open(t);
      await seedFinal(store, [
        { id: 'a', outcome: outcome({ service: 'chat', route: '/x', code: 1006, phase: 'open', cause: 'client_offline', observedBy: 'client' }) },
        {
          id: 'b',
          outcome: outcome({
            service: 'chat',
            route: '/y',
            code: 1000,
            phase: 'closing',
            cause: 'normal_closure',
            observedBy: 'server',
            appProtocol: 'socket.io',
            appReason: 'client namespace disconnect',
          }),
        },
        { id: 'c', outcome: outcome({ service: 'feed', route: '/x', code: 1006, phase: 'handshake', cause: 'handshake_auth_rejected', observedBy: 'both' }) },
        {
          id: 'd',
          outcome: outcome({
            service: 'feed',
            route: '/z',
            code: 4401,
            phase: 'open',
            cause: 'app_connect_rejected',
            observedBy: 'both',
            endTimeMs: T0 + HOUR,
            appProtocol: 'graphql-ws',
            appReason: '4401 Unauthorized',
          }),
        },
      ]);
      const cases: Array<[Partial<CloseFilter>, string[]]> = [
        [{}, ['a', 'b', 'c', 'd']],
        [{ service: 'chat' }, ['a', 'b']],
        [{ route: '/x' }, ['a', 'c']],
        [{ code: 1006 }, ['a', 'c']],
        [{ phase: 'open' }, ['a', 'd']],
        [{ cause: 'normal_closure' }, ['b']],
        [{ side: 'client' }, ['a', 'c', 'd']],
        [{ side: 'server' }, ['b', 'c', 'd']],
        [{ side: 'both' }, ['c', 'd']],
        [{ service: 'feed', side: 'both', phase: 'open' }, ['d']],
        [{ service: 'nobody' }, []],
        [{ appProtocol: 'socket.io' }, ['b']],
        [{ appReason: '4401 Unauthorized' }, ['d']],
        [{ appProtocol: 'graphql-ws', appReason: 'client namespace disconnect' }, []],
      ];
      for (const [extra, expected] of cases) {
        const filter = { ...ALL, ...extra };
        const label = JSON.stringify(extra);
        const listed = (await store.listCloses(filter, 100)).items.map((i) => i.id).sort();
        assert.deepEqual(listed, expected, `listCloses ${label}`);
        assert.equal((await store.summary(filter)).total, expected.length, `summary ${label}`);
        const series = await store.timeseries(filter, DAY);
        assert.equal(
          series.points.reduce((sum, p) => sum + p.total, 0),
          expected.length,
          `timeseries ${label}`,
        );
      }
    });

    test('timeseries buckets are aligned to bucketMs, empty buckets are filled, counts split by cause', async (t) => {
      const store = await fixture.open(t);
      await seedFinal(store, [
        { id: 't1', outcome: outcome({ endTimeMs: T0 + 10, code: 1006, cause: 'client_offline' }) },
        { id: 't2', outcome: outcome({ endTimeMs: T0 + HOUR - 1, code: 1000, cause: 'normal_closure' }) },
        { id: 't3', outcome: outcome({ endTimeMs: T0 + 3 * HOUR + 5, code: 1006, cause: 'client_offline' }) },
      ]);
      const series = await store.timeseries({ fromMs: T0 + 30 * 60_000, toMs: T0 + 4 * HOUR }, HOUR);
      assert.equal(series.bucketMs, HOUR);
      assert.deepEqual(
        series.points.map((p) => p.t),
        [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR],
      );
      assert.deepEqual(series.points[0], { t: T0, total: 1, closes1006: 0, rate1006: 0, byCause: { normal_closure: 1 } });
      assert.deepEqual(series.points[1], { t: T0 + HOUR, total: 0, closes1006: 0, rate1006: 0, byCause: {} });
      assert.deepEqual(series.points[3], { t: T0 + 3 * HOUR, total: 1, closes1006: 1, rate1006: 1, byCause: { client_offline: 1 } });
      const mixed = await store.timeseries({ fromMs: T0, toMs: T0 + HOUR }, HOUR);
      assert.deepEqual(mixed.points, [{ t: T0, total: 2, closes1006: 1, rate1006: 0.5, byCause: { client_offline: 1, normal_closure: 1 } }]);
    });

    test('timeseries rejects a bucket that is not a positive integer or yields too many points', async (t) => {
      const store = await fixture.open(t);
      await rejectsWithCode(store.timeseries(ALL, 0), 'invalid_filter');
      await rejectsWithCode(store.timeseries(ALL, 1.5), 'invalid_filter');
      await rejectsWithCode(store.timeseries({ fromMs: T0, toMs: T0 + 30 * DAY }, 1000), 'invalid_filter');
    });

    test('listCloses pages newest first with a cursor that is stable under equal end times', async (t) => {
      const store = await fixture.open(t);
      const sameTime = ids('same', 5).map((id) => ({ id, outcome: outcome({ endTimeMs: T0 + 1000 }) }));
      await seedFinal(store, [
        ...sameTime,
        { id: 'newest', outcome: outcome({ endTimeMs: T0 + 2000 }) },
        { id: 'oldest', outcome: outcome({ endTimeMs: T0 }) },
      ]);
      await store.upsertSides([incoming('pending', 'client', { endTimeMs: T0 + 3000 })]);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.listCloses(ALL, 2, cursor);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      assert.deepEqual(seen, ['newest', 'same-004', 'same-003', 'same-002', 'same-001', 'same-000', 'oldest']);
      assert.equal(pages, 4);

      const [first] = (await store.listCloses(ALL, 1)).items;
      assert.deepEqual(first, { id: 'newest', traceId: 'trace-newest', ...outcome({ endTimeMs: T0 + 2000 }) });
    });

    test('listCloses rejects a malformed cursor as invalid_filter', async (t) => {
      const store = await fixture.open(t);
      await rejectsWithCode(store.listCloses(ALL, 10, 'not-a-cursor'), 'invalid_filter');
      await rejectsWithCode(store.listCloses(ALL, 10, Buffer.from('{"a":1}').toString('base64url')), 'invalid_filter');
    });

    test('getConnection returns both sides, outcome and timestamps as numbers, or null', async (t) => {
      const store = await fixture.open(t);
      assert.equal(await store.getConnection('missing'), null);
      await store.upsertSides([incoming('g1', 'client'), incoming('g1', 'server')]);
      await store.finalize([{ id: 'g1', outcome: outcome({ code: null, handshakeMs: null, openMs: null, evidence: [] }) }], T0 + 7_000);
      const record = await store.getConnection('g1');
      assert.deepEqual(record, {
        id: 'g1',
        traceId: 'trace-g1',
        client: storedSide('client', { traceId: 'trace-g1' }),
        server: storedSide('server', { traceId: 'trace-g1' }),
        joinDeadlineMs: null,
        final: true,
        finalizedAtMs: T0 + 7_000,
        outcome: outcome({ code: null, handshakeMs: null, openMs: null, evidence: [] }),
      });
      assert.equal(typeof record?.outcome?.endTimeMs, 'number');
    });

    test('a batch of 100 sides is written in one call', async (t) => {
      const store = await fixture.open(t);
      const batch = ids('batch', 50).flatMap((id) => [incoming(id, 'client'), incoming(id, 'server')]);
      const rows = await store.upsertSides(batch);
      assert.equal(rows.length, 50);
      assert.ok(rows.every((r) => r.client && r.server));
      assert.equal(await store.countPending(), 50);
      assert.deepEqual(await store.upsertSides([]), []);
    });

    test('concurrent upsertSides calls each get their own rows back and all sides are stored', async (t) => {
      const store = await fixture.open(t);
      const calls = [
        [incoming('cc-1', 'client'), incoming('cc-2', 'client')],
        [incoming('cc-1', 'server'), incoming('cc-3', 'client')],
        [incoming('cc-4', 'server')],
      ];
      const results = await Promise.all(calls.map((sides) => store.upsertSides(sides)));
      assert.deepEqual(
        results.map((rows) => rows.map((r) => r.id).sort()),
        [['cc-1', 'cc-2'], ['cc-1', 'cc-3'], ['cc-4']],
      );
      const joined = await store.getConnection('cc-1');
      assert.ok(joined?.client && joined.server);
      assert.equal(await store.countPending(), 4);
    });

    test('a row the store refuses is set aside: the rest of its batch and concurrent batches are written', async (t) => {
      const store = await fixture.open(t);
      const [good, bad, mixed] = await Promise.all([
        store.upsertSides([incoming('ok-1', 'client')]),
        store.upsertSides([incoming('bad-1', 'client', { startTimeMs: Number.NaN })]),
        store.upsertSides([incoming('ok-2', 'client'), incoming('bad-2', 'client', { endTimeMs: Number.POSITIVE_INFINITY })]),
      ]);
      assert.deepEqual(
        [good, bad, mixed].map((records) => records.map((record) => record.id)),
        [['ok-1'], [], ['ok-2']],
      );
      assert.equal(await store.getConnection('bad-1'), null);
      assert.equal(await store.getConnection('bad-2'), null);
      assert.equal(await store.countPending(), 2);
      assert.equal(store.quarantine.counts().get('upsert_sides'), 2);
    });

    test('ids with quotes, backslashes and non-ASCII characters work in every operation', async (t) => {
      const store = await fixture.open(t);
      const odd = ["o'brien", "x''); DROP TABLE connections; --", 'back\\slash', 'zoë-连接'];
      await store.upsertSides(odd.map((id) => incoming(id, 'client', {}, T0)));
      assert.deepEqual((await store.claimExpired(T0 + 1, 10)).map((r) => r.id).sort(), [...odd].sort());
      assert.deepEqual(
        await store.finalize(
          odd.map((id) => ({ id, outcome: outcome() })),
          T0,
        ),
        [...odd].sort(),
      );
      for (const id of odd) assert.equal((await store.getConnection(id))?.final, true, id);
      assert.equal((await store.summary(ALL)).total, odd.length);
    });

    test('alert rules: put, get, list, update keeps createdAt, delete', async (t) => {
      const store = await fixture.open(t);
      await store.putAlertRule({ id: 'r1', rule: { name: 'high 1006', threshold: 0.2, labels: ['a'] }, createdAtMs: T0, updatedAtMs: T0 });
      await store.putAlertRule({ id: 'r2', rule: { name: 'second' }, createdAtMs: T0 + 1, updatedAtMs: T0 + 1 });
      await store.putAlertRule({ id: 'r1', rule: { name: 'high 1006', threshold: 0.3 }, createdAtMs: T0 + 99, updatedAtMs: T0 + 5 });
      assert.deepEqual(await store.getAlertRule('r1'), { id: 'r1', rule: { name: 'high 1006', threshold: 0.3 }, createdAtMs: T0, updatedAtMs: T0 + 5 });
      assert.deepEqual(
        (await store.listAlertRules()).map((r) => r.id),
        ['r1', 'r2'],
      );
      assert.equal(await store.deleteAlertRule('r1'), true);
      assert.equal(await store.deleteAlertRule('r1'), false);
      assert.equal(await store.getAlertRule('r1'), null);
    });

    test('alert states are upserted with their history, which lists newest first', async (t) => {
      const store = await fixture.open(t);
      const state = {
        ruleId: 'r1',
        state: 'pending' as const,
        sinceMs: T0,
        value: 0.25,
        lastEvaluatedMs: T0,
        lastNotificationError: null,
        details: { samples: 3 },
      };
      await store.putAlertState(state, { ruleId: 'r1', atMs: T0, from: 'inactive', to: 'pending', value: 0.25 });
      await store.putAlertState(
        { ...state, state: 'firing', sinceMs: T0 + 60_000, lastEvaluatedMs: T0 + 60_000, lastNotificationError: 'webhook 500' },
        {
          ruleId: 'r1',
          atMs: T0 + 60_000,
          from: 'pending',
          to: 'firing',
          value: null,
        },
      );
      await store.putAlertState({ ...state, ruleId: 'r2' });
      const states = await store.listAlertStates();
      assert.equal(states.length, 2);
      assert.deepEqual(states[0], { ...state, state: 'firing', sinceMs: T0 + 60_000, lastEvaluatedMs: T0 + 60_000, lastNotificationError: 'webhook 500' });
      assert.deepEqual(await store.listAlertHistory('r1', 10), [
        { ruleId: 'r1', atMs: T0 + 60_000, from: 'pending', to: 'firing', value: null },
        { ruleId: 'r1', atMs: T0, from: 'inactive', to: 'pending', value: 0.25 },
      ]);
      assert.equal((await store.listAlertHistory('r1', 1)).length, 1);
      assert.deepEqual(await store.listAlertHistory('r2', 10), []);
    });

    test('a single instance acquires leadership', async (t) => {
      const store = await fixture.open(t);
      assert.equal(await store.tryAcquireLeadership('alerts'), true);
      assert.equal(await store.tryAcquireLeadership('alerts'), true);
    });

    const { openPeer } = fixture;
    if (!openPeer) return;

    describe('two instances on one database', () => {
      test('sides reaching different instances join into one row', async (t) => {
        const a = await fixture.open(t);
        const b = await openPeer(t);
        await a.upsertSides([incoming('x1', 'client')]);
        const [joined] = await b.upsertSides([incoming('x1', 'server')]);
        assert.ok(joined.client && joined.server);
      });

      test('concurrent finalize of the same ids returns each id to exactly one instance', async (t) => {
        const a = await fixture.open(t);
        const b = await openPeer(t);
        const all = ids('cf', 60);
        await a.upsertSides(all.map((id) => incoming(id, 'client')));
        const forward = all.map((id) => ({ id, outcome: outcome() }));
        const results = await Promise.all(Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).finalize(i < 2 ? forward : [...forward].reverse(), T0)));
        const returned = results.flat();
        assert.equal(returned.length, all.length, 'no id returned twice');
        assert.deepEqual([...new Set(returned)].sort(), all);
      });

      test('concurrent claimExpired hands each due row to exactly one instance', async (t) => {
        const a = await fixture.open(t);
        const b = await openPeer(t);
        const all = ids('ce', 80);
        await a.upsertSides(all.map((id) => incoming(id, 'client', {}, T0)));
        const claims = await Promise.all([a.claimExpired(T0 + 1, 30), b.claimExpired(T0 + 1, 30), a.claimExpired(T0 + 1, 30), b.claimExpired(T0 + 1, 30)]);
        const claimed = claims.flat().map((r) => r.id);
        assert.equal(new Set(claimed).size, claimed.length, 'no row claimed twice');
        assert.equal(claimed.length, all.length);
      });

      test('leadership is held by one instance and passes on when it closes', async (t) => {
        const a = await fixture.open(t);
        const b = await openPeer(t);
        assert.equal(await a.tryAcquireLeadership('retention'), true);
        assert.equal(await b.tryAcquireLeadership('retention'), false);
        assert.equal(await b.tryAcquireLeadership('alerts'), true, 'names are independent');
        assert.equal(await a.tryAcquireLeadership('retention'), true, 'the holder keeps it');
        await a.close();
        assert.equal(await b.tryAcquireLeadership('retention'), true);
      });
    });
  });
}
