import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { makeTempDir } from '@closewatch/test/harness';
import { Journal } from '../src/store/duckdb/journal.js';

async function openJournal(t: TestContext, dir?: string, segmentBytes?: number): Promise<{ journal: Journal; dir: string }> {
  let path = dir;
  if (!path) {
    const temp = makeTempDir('journal');
    t.after(() => temp.remove());
    path = temp.path;
  }
  const journal = await Journal.open(path, { segmentBytes });
  t.after(() => journal.close());
  return { journal, dir: path };
}

test('positions are known at append, lines are on disk once durable, and each line reads back at its position', async (t) => {
  const { journal, dir } = await openJournal(t);
  const first = journal.append(['{"a":1}', '{"b":"é…"}']);
  const second = journal.append(['{"c":3}']);
  assert.deepEqual(first.positions, [0, 8]);
  assert.deepEqual(second.positions, [8 + Buffer.byteLength('{"b":"é…"}') + 1]);
  await Promise.all([first.durable, second.durable]);
  assert.equal(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'), '{"a":1}\n{"b":"é…"}\n{"c":3}\n');
  assert.equal(await journal.readLine(8), '{"b":"é…"}');
  assert.equal(await journal.readLine(second.positions[0]), '{"c":3}');
  assert.equal(await journal.readLine(10_000), null, 'past the end');
  assert.equal(await journal.lastLine(), '{"c":3}');
});

test('a line longer than one read chunk reads back whole, also as the last line', async (t) => {
  const { journal } = await openJournal(t);
  const long = JSON.stringify({ x: 'y'.repeat(40_000) });
  const { positions, durable } = journal.append(['{"short":1}', long]);
  await durable;
  assert.equal(await journal.readLine(positions[1]), long);
  assert.equal(await journal.lastLine(), long);
});

test('a torn last line (a crash mid-write, never acknowledged) is cut at reopening; positions carry on from there', async (t) => {
  const { journal, dir } = await openJournal(t);
  await journal.append(['{"kept":1}']).durable;
  await journal.close();
  const segment = join(dir, readdirSync(dir)[0]);
  appendFileSync(segment, '{"torn":');
  const reopened = (await openJournal(t, dir)).journal;
  assert.equal(statSync(segment).size, 11);
  assert.equal(reopened.end, 11);
  assert.deepEqual(reopened.append(['{"next":2}']).positions, [11]);
  const seen: Array<[string, number]> = [];
  await reopened.whenDurable(reopened.end);
  await reopened.scan(0, (line, position) => seen.push([line, position]));
  assert.deepEqual(seen, [
    ['{"kept":1}', 0],
    ['{"next":2}', 11],
  ]);
});

test('a full segment is followed by a new one named by its first position; scan and readLine cross segments; old segments can be deleted', async (t) => {
  const { journal, dir } = await openJournal(t, undefined, 10);
  const before = journal.append(['{"n":1}', '{"n":2}']);
  await before.durable;
  const after = journal.append(['{"n":3}']);
  await after.durable;
  assert.deepEqual(
    journal.segments.map((s) => [s.start, s.size]),
    [
      [0, 16],
      [16, 8],
    ],
  );
  assert.deepEqual(readdirSync(dir).sort(), ['0000000000000000.ndjson', '0000000000000016.ndjson']);
  assert.deepEqual(after.positions, [16]);
  assert.equal(await journal.readLine(before.positions[1]), '{"n":2}');
  assert.equal(await journal.readLine(16), '{"n":3}');
  const lines: string[] = [];
  await journal.scan(8, (line) => lines.push(line));
  assert.deepEqual(lines, ['{"n":2}', '{"n":3}']);
  assert.equal(await journal.deleteSegments(() => true), 1, 'never the segment being written');
  assert.equal(await journal.readLine(0), null, 'a deleted segment reads as gone');
  assert.equal(readdirSync(dir).length, 1);
  assert.equal(await journal.lastLine(), '{"n":3}');
  await journal.close();
  const reopened = (await openJournal(t, dir, 10)).journal;
  assert.equal(reopened.end, 24, 'positions carry on after the deleted segment');
});

test('whenDurable waits for the bytes before a position; appends after close reject instead of throwing', async (t) => {
  const { journal } = await openJournal(t);
  const { positions } = journal.append(['{"a":1}']);
  await journal.whenDurable(positions[0] + 1);
  assert.ok(journal.end >= 8);
  await journal.close();
  const late = journal.append(['{"b":2}']);
  await assert.rejects(late.durable, /closed/);
});

test('many appends while a write is in flight go to disk together and keep their order', async (t) => {
  const { journal } = await openJournal(t);
  const appended = Array.from({ length: 200 }, (_, i) => journal.append([JSON.stringify({ i })]));
  await Promise.all(appended.map((a) => a.durable));
  const seen: number[] = [];
  await journal.scan(0, (line) => seen.push((JSON.parse(line) as { i: number }).i));
  assert.deepEqual(
    seen,
    Array.from({ length: 200 }, (_, i) => i),
  );
  for (const [i, a] of appended.entries()) assert.equal(await journal.readLine(a.positions[0]), JSON.stringify({ i }));
});

test('a failed write fails every append in it and every append after it (the disk is full: /dev/full)', async (t) => {
  const temp = makeTempDir('journal-full');
  t.after(() => temp.remove());
  // the first segment is the kernel's always-full device: every write answers ENOSPC
  symlinkSync('/dev/full', join(temp.path, '0000000000000000.ndjson'));
  const { journal } = await openJournal(t, temp.path);
  const together = [journal.append(['{"a":1}']), journal.append(['{"b":2}']), journal.append(['{"c":3}'])];
  const waiting = journal.whenDurable(journal.end);
  for (const appended of together) await assert.rejects(appended.durable, /ENOSPC/);
  await assert.rejects(waiting, /ENOSPC/);
  assert.match(String(journal.failure), /ENOSPC/);
  await assert.rejects(journal.append(['{"d":4}']).durable, /ENOSPC/, 'the journal stays failed');
  await assert.rejects(journal.whenDurable(journal.end), /ENOSPC/);
});
