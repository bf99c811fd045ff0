import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { readEverything, type ApiReads } from './support/api-reads.js';
import { hostileExport, sendExport } from './support/hostile-otlp.js';
import { STORE_KINDS, startOn } from './support/store-under-test.js';

/** Each store gets this much generated traffic (runs after it send nothing). */
const TIME_LIMIT_MS = 20_000;
const MAX_RUNS = 40;
/** Replays a run: the seed a failure names (each run draws its own otherwise). */
const SEED = process.env.CLOSEWATCH_FUZZ_SEED === undefined ? undefined : Number(process.env.CLOSEWATCH_FUZZ_SEED);

/** `closewatch_ws_closes_total` summed by cause, from the /metrics text (label order is fixed). */
async function closesByCause(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  assert.equal(response.status, 200);
  const byCause = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^closewatch_ws_closes_total\{.*,cause="([a-z_0-9]+)",observed_by="[a-z]+"\} (\S+)$/.exec(line);
    if (match) byCause.set(match[1], (byCause.get(match[1]) ?? 0) + Number(match[2]));
  }
  return byCause;
}

function summaryByCause(reads: ApiReads): Map<string, number> {
  return new Map(reads.summary.byCause.map(({ cause, count }) => [cause, count]));
}

describe('ingest under hostile OTLP (property-based)', () => {
  for (const kind of STORE_KINDS) {
    it(`random hostile bodies on /v1/traces (JSON, protobuf, gzip) and /v1/beacon never get a 5xx, never break a read, a restart or the metrics (${kind})`, async (t) => {
      const collector = await startOn(kind, t);
      if (!collector) return;
      const { url } = collector.current;
      let runs = 0;
      /** Runs after which /metrics and the API disagreed, with both sides (asserted below). */
      const disagreements: Array<{ run: number; metrics: Map<string, number>; api: Map<string, number> }> = [];
      // Runs past the time budget send nothing. (fast-check's interruptAfterTimeLimit abandons the run in
      // flight, whose requests then land after the reads below: a restart then "found" rows the reads missed.)
      const deadline = Date.now() + TIME_LIMIT_MS;
      const details = await fc.check(
        fc.asyncProperty(fc.array(hostileExport, { minLength: 1, maxLength: 6 }), fc.boolean(), async (exports, together) => {
          if (Date.now() > deadline) return;
          runs++;
          const statuses = together
            ? await Promise.all(exports.map((generated) => sendExport(url, generated)))
            : await exports.reduce<Promise<number[]>>(async (sent, generated) => [...(await sent), await sendExport(url, generated)], Promise.resolve([]));
          assert.deepEqual(
            statuses.filter((status) => status >= 500),
            [],
            'no 5xx while the store is up',
          );
          const reads = await readEverything(url, 50);
          const metrics = await closesByCause(url);
          const api = summaryByCause(reads);
          if (!isDeepStrictEqual(metrics, api)) disagreements.push({ run: runs, metrics, api });
        }),
        // the collector's state carries over between runs, so a shrunk case would mean nothing: the seed replays all of them
        { numRuns: MAX_RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      if (details.failed) {
        const input = fc.stringify(details.counterexample).slice(0, 3000);
        assert.fail(`run ${details.numRuns} failed (replay: seed ${details.seed}): ${(details.errorInstance as Error)?.message}\nits input: ${input}`);
      }
      assert.ok(runs > 0);
      t.diagnostic(`${runs} runs, seed ${details.seed}`);
      const before = await readEverything(url, 50);
      assert.ok(before.summary.total > 0, 'the generated traffic stored connections');
      await collector.restart();
      const after = await readEverything(collector.current.url, 50);
      assert.deepEqual(after.summary, before.summary, `a restart on the same data keeps every final connection (${runs} runs)`);
      assert.deepEqual(
        disagreements.slice(0, 1),
        [],
        `/metrics closes per cause equal the API summary after every run: ${disagreements.length} of ${runs} runs disagreed (replay: CLOSEWATCH_FUZZ_SEED=${details.seed})`,
      );
    });
  }
});
