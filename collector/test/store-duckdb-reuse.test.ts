import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { ids, incoming, outcome, T0, HOUR } from './store-fixtures.js';

// @duckdb/node-api 1.5.6: a prepared statement with ORDER BY / GROUP BY that was prepared before rows
// were written returns corrupted strings (or crashes) when run again later; queries must stay correct.
test('DuckDB queries run on an empty store and again after writes return the written values', async (t) => {
  const dir = makeTempDir('duckdb-reuse');
  t.after(() => dir.remove());
  const store = await DuckDbStore.open(dir.path);
  t.after(() => store.close());
  await store.migrate();
  const filter = { fromMs: T0 - HOUR, toMs: T0 + HOUR };
  assert.equal((await store.listCloses(filter, 10)).items.length, 0);
  assert.equal((await store.summary(filter)).total, 0);
  assert.equal((await store.listAlertStates()).length, 0);

  for (const [index, id] of ids('reuse', 3).entries()) {
    await store.upsertSides([incoming(id, 'server', {}, null)]);
    await store.finalize([{ id, outcome: outcome({ route: `/rooms/:id/${'x'.repeat(index * 20)}`, cause: 'intermediary_timeout' }) }], T0);
    await store.putAlertState({
      ruleId: `rule-${index}`,
      state: 'firing',
      sinceMs: T0,
      value: index,
      lastEvaluatedMs: T0,
      lastNotificationError: null,
      details: { total: 100 * index, firedAtMs: T0 },
    });
    const page = await store.listCloses(filter, 10);
    assert.equal(page.items.length, index + 1);
    assert.deepEqual(
      page.items.map((item) => item.cause),
      Array(index + 1).fill('intermediary_timeout'),
    );
    assert.ok(page.items.every((item) => item.route.startsWith('/rooms/:id/')));
    const summary = await store.summary(filter);
    assert.deepEqual(
      summary.byCause.map((row) => row.cause),
      ['intermediary_timeout'],
    );
    assert.deepEqual(summary.topRoutes.map((row) => row.service).sort(), Array(index + 1).fill('chat'));
    const states = await store.listAlertStates();
    assert.deepEqual(
      states.map((state) => [state.ruleId, state.state, state.details.total]).sort(),
      Array.from({ length: index + 1 }, (_, i) => [`rule-${i}`, 'firing', 100 * i]),
    );
  }
});
