import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { freePort, makeTempDir } from '@closewatch/test/harness';
import { QUARANTINE_FILE } from '../src/store/duckdb/quarantine-file.js';
import type { Store } from '../src/store/store.js';
import { readEverything } from './support/api-reads.js';
import { startCollectorProcess } from './support/collector-process.js';
import { STORE_KINDS, startOn, type StoreKind } from './support/store-under-test.js';
import { startTestCollector } from './support/test-collector.js';
import { ids, incoming, outcome } from './store-fixtures.js';

const LONE = '\ud83d';

interface QuarantineEntry {
  operation: string;
  connectionId: string | null;
  error: string;
  payload: string;
  position: number | null;
}

function quarantineFile(dataDir: string): QuarantineEntry[] {
  const path = join(dataDir, QUARANTINE_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as QuarantineEntry);
}

async function quarantineTable(databaseUrl: string): Promise<QuarantineEntry[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<QuarantineEntry>('SELECT operation, connection_id AS "connectionId", error, payload FROM quarantine ORDER BY seq');
    return rows;
  } finally {
    await client.end();
  }
}

async function quarantinedMetric(url: string, operation: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^closewatch_store_quarantined_total\\{operation="${operation}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * Writes what each store refuses through the store itself, as an older collector (or a bug) would:
 * DuckDB a final row whose reason holds a lone surrogate (its JSON loader refuses it); PostgreSQL a side
 * with one (jsonb refuses it) and an outcome whose code is past `integer`. Returns the refused ids and operations.
 */
async function writeRefusedRows(kind: StoreKind, store: Store, good: string[]): Promise<Array<{ id: string; operation: string }>> {
  const nowMs = Date.now();
  if (kind === 'DuckDB') {
    const bad = 'bad-reason';
    await store.upsertSides([...good, bad].map((id) => incoming(id, 'client', {}, null)));
    await store.finalize(
      [...good, bad].map((id) => ({ id, outcome: outcome({ reason: id === bad ? `bye ${LONE}` : 'bye' }) })),
      nowMs,
    );
    return [{ id: bad, operation: 'load_final_rows' }];
  }
  const badSide = 'bad-side';
  const badCode = 'bad-code';
  const records = await store.upsertSides([
    ...[...good, badCode].map((id) => incoming(id, 'client', {}, null)),
    incoming(badSide, 'client', { attributes: { 'websocket.close.reason': `bye ${LONE}` } }, null),
  ]);
  assert.deepEqual(records.map((record) => record.id).sort(), [...good, badCode].sort(), 'the rows around the refused side are written');
  const final = await store.finalize(
    [...good, badCode].map((id) => ({ id, outcome: outcome({ code: id === badCode ? 3e9 : 1006 }) })),
    nowMs,
  );
  assert.deepEqual(final, [...good].sort(), 'the rows around the refused outcome become final');
  return [
    { id: badSide, operation: 'upsert_sides' },
    { id: badCode, operation: 'finalize' },
  ];
}

describe('a row the store refuses never blocks the rows behind it', () => {
  for (const kind of STORE_KINDS) {
    it(`it is set aside with its error, counted and logged once; the rest is stored and readable after a restart (${kind})`, async (t) => {
      const logged: string[] = [];
      const collector = await startOn(kind, t, {}, (message) => logged.push(message));
      if (!collector) return;
      const good = ['good-1', 'good-2', 'good-3'];
      const refused = await writeRefusedRows(kind, collector.current.deps.store, good);

      const { closes } = await readEverything(collector.current.url);
      assert.deepEqual(closes.items.map((item) => item.id).sort(), good, 'reads answer 200 with every stored row');
      assert.equal((await fetch(`${collector.current.url}/readyz`)).status, 200);
      for (const { operation } of refused) assert.equal(await quarantinedMetric(collector.current.url, operation), 1, operation);
      const setAside = logged.filter((line) => line.startsWith('set aside'));
      assert.equal(setAside.length, refused.length, `one log line each: ${logged.join(' | ')}`);

      const entries =
        kind === 'DuckDB' ? quarantineFile(collector.current.deps.config.dataDir) : await quarantineTable(collector.current.deps.config.databaseUrl!);
      assert.deepEqual(
        entries.map((entry) => [entry.connectionId, entry.operation]),
        refused.map(({ id, operation }) => [id, operation]),
      );
      for (const entry of entries) {
        assert.notEqual(entry.error, '', 'with the error that refused it');
        assert.match(entry.payload, kind === 'DuckDB' ? /bye \\ud83d/ : /bye \\ud83d|3000000000/, 'and the row as it was');
      }

      await collector.restart();
      const after = await readEverything(collector.current.url);
      assert.deepEqual(after.closes.items.map((item) => item.id).sort(), good);
      if (kind === 'DuckDB') assert.equal(quarantineFile(collector.current.deps.config.dataDir).length, 1, 'not set aside again');
      const store = collector.current.deps.store;
      await store.upsertSides([incoming('later', 'client', {}, null)]);
      assert.deepEqual(await store.finalize([{ id: 'later', outcome: outcome() }], Date.now()), ['later'], 'ingest goes on');
    });
  }

  it('/readyz and reads answer 503 naming the cause while DuckDB itself cannot load the final rows (out of memory)', async (t) => {
    // 16MB is too little for DuckDB to parse one batch of 4,000 final rows of 2 KB each
    const collector = await startTestCollector(t, { duckdbMemoryLimit: '16MB' });
    const many = ids('big', 4000);
    await collector.deps.store.upsertSides(many.map((id) => incoming(id, 'client', {}, null)));
    await collector.deps.store.finalize(
      many.map((id) => ({ id, outcome: outcome({ reason: 'r'.repeat(1000), evidence: ['e'.repeat(1000)] }) })),
      Date.now(),
    );
    const read = await fetch(`${collector.url}/api/v1/summary`);
    assert.equal(read.status, 503);
    assert.match(((await read.json()) as { error: { message: string } }).error.message, /cannot load the final rows waiting in its journal \(Out of Memory/);
    const ready = await fetch(`${collector.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { error: { message: string } }).error.message, /cannot load the final rows .*Out of Memory/);
    assert.equal(existsSync(join(collector.deps.config.dataDir, QUARANTINE_FILE)), false, 'rows are never set aside for a failure of the database itself');
  });

  it('closewatch start opens a data directory whose journal has a damaged line and a row DuckDB refuses, and says so', async (t) => {
    const dir = makeTempDir('quarantine-start');
    t.after(() => dir.remove());
    const seeded = await startTestCollector(t, { dataDir: dir.path });
    // recent times: `closewatch start` runs retention at once
    const times = { startTimeMs: Date.now() - 5000, endTimeMs: Date.now() - 1000 };
    await seeded.deps.store.upsertSides(['kept-1', 'kept-2'].map((id) => incoming(id, 'client', times, null)));
    await seeded.deps.store.finalize(
      ['kept-1', 'kept-2'].map((id) => ({ id, outcome: outcome(times) })),
      Date.now(),
    );
    await seeded.close();
    // what a collector before the fix left behind: a final line with a lone surrogate escape, then a line a disk damaged
    const journalDir = join(dir.path, 'journal');
    const segment = join(journalDir, readdirSync(journalDir).sort().at(-1)!);
    const finalLine = readFileSync(segment, 'utf8')
      .split('\n')
      .find((line) => line.includes('"id":"kept-2"'))!;
    const poisoned = JSON.stringify({ ...(JSON.parse(finalLine) as object), id: 'poisoned', reason: `bye ${LONE}` });
    const behind = JSON.stringify({ ...(JSON.parse(finalLine) as object), id: 'behind-it' });
    appendFileSync(segment, `${poisoned}\n${behind}\n{"i":"damaged\n`);

    for (const start of ['first', 'second'] as const) {
      const port = await freePort();
      const child = await startCollectorProcess(['--port', String(port), '--data-dir', dir.path], t);
      const url = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${url}/readyz`)).status, 200, `${start} start is ready`);
      const { closes } = await readEverything(url);
      assert.deepEqual(closes.items.map((item) => item.id).sort(), ['behind-it', 'kept-1', 'kept-2']);
      if (start === 'first') {
        assert.match(child.stderr(), /set aside the line at \d+ the store refused \(read_journal: .*\) in .*quarantine\.jsonl/);
        assert.match(child.stderr(), /set aside connection poisoned the store refused \(load_final_rows: .*surrogate.*\)/);
      }
      child.kill('SIGTERM');
      assert.equal((await child.exited).code, 0);
    }
    assert.deepEqual(
      quarantineFile(dir.path).map((entry) => [entry.operation, entry.connectionId]),
      [
        ['read_journal', null],
        ['load_final_rows', 'poisoned'],
      ],
      'each set aside once, over two starts',
    );
  });
});
