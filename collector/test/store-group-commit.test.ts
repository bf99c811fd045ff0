import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit, writtenNow, type Written } from '../src/store/group-commit.js';

/** A write that records each group it was given and finishes when the test says so. */
function recordingWriter() {
  const groups: number[][] = [];
  const finish: Array<() => void> = [];
  const write = async (inputs: number[]): Promise<Written<number>> => {
    groups.push(inputs);
    await new Promise<void>((resolve) => finish.push(resolve));
    if (inputs.some((input) => input < 0)) throw new Error(`refused ${inputs.join(',')}`);
    return writtenNow(inputs.map((input) => input * 10));
  };
  return { groups, finish, write };
}

const mine = (outputs: number[], inputs: number[]) => outputs.filter((output) => inputs.includes(output / 10));

/** Lets the microtasks and promise callbacks queued so far run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('calls that arrive while a write is in flight are written together in the next one, each caller getting its own outputs', async () => {
  const writer = recordingWriter();
  const commit = new GroupCommit({ write: writer.write, select: mine, maxWeight: 100 });
  const first = commit.submit([1]);
  const second = commit.submit([2, 3]);
  const third = commit.submit([4]);
  await settle();
  assert.deepEqual(writer.groups, [[1]], 'an idle writer writes at once');
  writer.finish.shift()!();
  await settle();
  assert.deepEqual(writer.groups, [[1], [2, 3, 4]]);
  writer.finish.shift()!();
  assert.deepEqual(await Promise.all([first, second, third]), [[10], [20, 30], [40]]);
  await commit.idle();
});

test('a group holds at most maxWeight (a heavier caller alone), and maxInFlight writes run at once', async () => {
  const writer = recordingWriter();
  const commit = new GroupCommit({ write: writer.write, select: mine, maxWeight: 3, maxInFlight: 2 });
  const calls = [commit.submit([1]), commit.submit([2]), commit.submit([3, 4]), commit.submit([5]), commit.submit([6, 7, 8, 9])];
  await settle();
  assert.deepEqual(writer.groups, [[1], [2]], 'two writes in flight');
  writer.finish.shift()!();
  await settle();
  assert.deepEqual(writer.groups, [[1], [2], [3, 4, 5]]);
  writer.finish.shift()!();
  await settle();
  assert.deepEqual(writer.groups, [[1], [2], [3, 4, 5], [6, 7, 8, 9]]);
  while (writer.finish.length > 0) writer.finish.shift()!();
  assert.equal((await Promise.all(calls)).length, 5);
});

test('a combined write that fails is retried caller by caller: only the caller whose inputs fail gets the error', async () => {
  const writer = recordingWriter();
  const commit = new GroupCommit({ write: writer.write, select: mine, maxWeight: 100 });
  const busy = commit.submit([1]);
  const good = commit.submit([2]);
  const bad = commit.submit([-3]);
  const alsoGood = commit.submit([4]);
  const answers = Promise.allSettled([busy, good, bad, alsoGood]);
  for (let i = 0; i < 5; i++) {
    await settle();
    writer.finish.shift()?.();
  }
  const [busyAnswer, goodAnswer, badAnswer, alsoGoodAnswer] = await answers;
  assert.deepEqual(writer.groups, [[1], [2, -3, 4], [2], [-3], [4]]);
  assert.deepEqual(busyAnswer, { status: 'fulfilled', value: [10] });
  assert.deepEqual(goodAnswer, { status: 'fulfilled', value: [20] });
  assert.equal(badAnswer.status, 'rejected');
  assert.match(String(badAnswer.reason), /refused -3/);
  assert.deepEqual(alsoGoodAnswer, { status: 'fulfilled', value: [40] });
});

test('when a write is not durable, every caller of that write gets the error; the next write goes on', async () => {
  let durability: (error?: Error) => void = () => undefined;
  let writes = 0;
  const commit = new GroupCommit<number, number>({
    write: (inputs) => {
      writes++;
      if (writes === 1) return Promise.resolve(writtenNow(inputs));
      const durable = new Promise<void>((resolve, reject) => {
        durability = (error) => (error ? reject(error) : resolve());
      });
      return Promise.resolve({ outputs: inputs, durable });
    },
    select: (outputs, inputs) => outputs.filter((output) => inputs.includes(output)),
    maxWeight: 100,
  });
  const first = commit.submit([1]);
  const second = commit.submit([2]);
  const third = commit.submit([3]);
  assert.deepEqual(await first, [1]);
  await settle();
  durability(new Error('fdatasync failed'));
  await assert.rejects(second, /fdatasync failed/);
  await assert.rejects(third, /fdatasync failed/);
  assert.equal(writes, 2, 'a durability failure is not retried');
  const fourth = commit.submit([4]);
  await settle();
  durability();
  assert.deepEqual(await fourth, [4]);
});

test('idle waits for the writes in flight', async () => {
  const writer = recordingWriter();
  const commit = new GroupCommit({ write: writer.write, maxWeight: 100 });
  await commit.idle();
  const done = commit.submit([1]);
  let idle = false;
  const waiting = commit.idle().then(() => (idle = true));
  await settle();
  assert.equal(idle, false);
  writer.finish.shift()!();
  await waiting;
  assert.deepEqual(await done, [], 'without select a caller only waits');
});
