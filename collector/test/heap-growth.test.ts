import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NEW_SPACE_BYTES, semiSpaceGrowthFactor } from '../src/heap-growth.js';

const MB = 1024 * 1024;

test('the growth factor takes the young generation straight to its cap, then stops it growing', () => {
  assert.equal(semiSpaceGrowthFactor(1 * MB), NEW_SPACE_BYTES / MB);
  assert.equal(semiSpaceGrowthFactor(NEW_SPACE_BYTES / 2), 2);
  assert.equal(semiSpaceGrowthFactor(NEW_SPACE_BYTES), 1);
  assert.equal(semiSpaceGrowthFactor(4 * NEW_SPACE_BYTES), 1);
  assert.equal(semiSpaceGrowthFactor(0), 2, 'no statistics: V8 default');
});

// A process that keeps many young objects alive across scavenges (as ingest does), yielding to the
// event loop between bursts like a server: with the limit its young generation stays at the cap.
const workload = (limit: boolean) => `
  const { getHeapSpaceStatistics } = await import('node:v8');
  if (${limit}) (await import(${JSON.stringify(new URL('../dist/heap-growth.js', import.meta.url).href)})).limitHeapGrowth();
  const keep = [];
  let largest = 0;
  for (let burst = 0; burst < 400; burst++) {
    for (let i = 0; i < 5000; i++) keep.push({ burst, i, text: 'x' + i });
    if (keep.length > 60000) keep.splice(0, 30000);
    largest = Math.max(largest, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(largest);
`;

async function largestNewSpace(limit: boolean): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', workload(limit)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return Number(stdout.trim());
}

test('closewatch start keeps the young generation below what V8 alone grows it to under the same load', async () => {
  const [unlimited, limited] = await Promise.all([largestNewSpace(false), largestNewSpace(true)]);
  assert.ok(unlimited > 2 * NEW_SPACE_BYTES, `without the limit the young generation grew to ${unlimited / MB} MB`);
  // at the cap, or one growth past it when V8 grew twice before the GC observer ran (seen on a busy machine)
  assert.ok(limited <= 2 * NEW_SPACE_BYTES, `with the limit it reached ${limited / MB} MB (cap ${NEW_SPACE_BYTES / MB} MB)`);
});
