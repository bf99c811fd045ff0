import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, makeTempDir } from '@closewatch/test/harness';
import { openStore } from '../src/store/open-store.js';
import { runCloseWatch } from './support/collector-process.js';

describe('closewatch demo', () => {
  it('drives the real Node agent on both sides and stores joined connections with a mix of causes', async (t) => {
    const dir = makeTempDir('demo');
    t.after(() => dir.remove());
    const dataDir = join(dir.path, 'data');
    const demo = runCloseWatch(['demo', '--port', String(await freePort()), '--data-dir', dataDir, '--duration', '5', '--rate', '12'], t);
    const exit = await demo.exited;
    assert.equal(exit.code, 0, demo.stderr());
    assert.match(demo.stdout(), /dashboard at http:\/\/127\.0\.0\.1:\d+\//);
    const store = await openStore({ dataDir, databaseUrl: null });
    try {
      const summary = await store.summary({ fromMs: 0, toMs: Date.now() + 60_000 });
      assert.ok(summary.total > 0, 'the fleet produced connections');
      assert.ok(summary.byObserver.some((row) => row.observedBy === 'both' && row.count > 0), 'both agents reported and were joined');
      assert.ok(summary.byCause.length >= 3, `a mix of causes: ${summary.byCause.map((row) => row.cause).join(', ')}`);
    } finally {
      await store.close();
    }
  });
});
