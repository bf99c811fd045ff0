import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LINES_PER_BATCH, UnloadedFinals } from '../src/store/duckdb/unloaded-finals.js';

const line = (i: number, text = '') => JSON.stringify({ id: `c${i}`, reason: text });
const parsed = (finals: UnloadedFinals) => finals.json().map((json) => JSON.parse(json.toString('utf8')) as Array<{ id: string; reason: string }>);

test('final lines come back as JSON arrays in order, text that needs escaping or is not ASCII intact', () => {
  const finals = new UnloadedFinals();
  assert.deepEqual(finals.json(), []);
  const texts = ['', 'bye "now"\n', 'déjà vu 🙂', 'x'.repeat(200_000)];
  texts.forEach((text, i) => finals.add(`c${i}`, line(i, text)));
  assert.equal(finals.size, 4);
  assert.ok(finals.has('c3') && !finals.has('c4'));
  const [batch, ...rest] = parsed(finals);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    batch.map((row) => row.reason),
    texts,
  );
});

test(`a batch holds at most ${LINES_PER_BATCH} lines; the next line starts another`, () => {
  const finals = new UnloadedFinals();
  for (let i = 0; i <= LINES_PER_BATCH; i++) finals.add(`c${i}`, line(i));
  const batches = parsed(finals);
  assert.deepEqual(
    batches.map((b) => b.length),
    [LINES_PER_BATCH, 1],
  );
  assert.equal(batches[1][0].id, `c${LINES_PER_BATCH}`);
});

test('take empties the set; restore puts the taken lines back before the ones added since (a failed load)', () => {
  const finals = new UnloadedFinals();
  finals.add('a', line(1));
  const taken = finals.take();
  assert.equal(finals.size, 0);
  assert.ok(!finals.has('a') && taken.has('a'));
  finals.add('b', line(2));
  finals.restore(taken);
  assert.equal(finals.size, 2);
  assert.deepEqual(
    parsed(finals)
      .flat()
      .map((row) => row.id),
    ['c1', 'c2'],
  );
});

test('release empties a loaded set; lines added afterwards (into reused buffers) read back whole', () => {
  const loaded = new UnloadedFinals();
  for (let i = 0; i < 1000; i++) loaded.add(`c${i}`, line(i, 'y'.repeat(100)));
  loaded.release();
  assert.equal(loaded.size, 0);
  assert.deepEqual(loaded.json(), []);
  const next = new UnloadedFinals();
  next.add('a', line(7, 'short'));
  assert.deepEqual(parsed(next), [[{ id: 'c7', reason: 'short' }]]);
});
