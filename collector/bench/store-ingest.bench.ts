// upsertSides throughput on DuckDB in batches of 100 sides, against the 25k spans/s target.
// Each batch mixes new client sides with server sides of connections begun in the previous batch,
// so half the rows insert and half merge. CLOSEWATCH_BENCH_BATCHES (default 600) sets the run length.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { quickOr, reportFigure } from '@closewatch/test/harness';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { ConnectionOutcome, IncomingSide, StoredSide } from '../src/store/store.js';

const TARGET_SPANS_PER_S = 25_000;
const BATCH = 100;
const batches = Number(process.env.CLOSEWATCH_BENCH_BATCHES ?? quickOr(150, 600));
const t0 = Date.UTC(2026, 10, 1);

function side(kind: 'client' | 'server', n: number): IncomingSide {
  const traceId = n.toString(16).padStart(32, '0');
  const span: StoredSide = {
    side: kind,
    traceId,
    spanId: `${kind === 'client' ? 'c' : 's'}${n.toString(16).padStart(15, '0')}`,
    parentSpanId: kind === 'server' ? `c${n.toString(16).padStart(15, '0')}` : null,
    service: `svc-${n % 20}`,
    resource: { 'service.name': `svc-${n % 20}`, 'service.version': '1.4.2', 'deployment.environment.name': 'prod' },
    scope: { name: `@closewatch/agent-${kind === 'client' ? 'browser' : 'node'}`, version: '0.1.0' },
    startTimeMs: t0 + n,
    endTimeMs: t0 + n + 60_000,
    attributes: {
      'websocket.close.code': 1006,
      'websocket.close.reason': '',
      'websocket.close.was_clean': false,
      'websocket.phase': 'open',
      'websocket.route': `/rooms/:id`,
      'url.full': `wss://chat.example.com/rooms/${n}`,
      'websocket.handshake.duration_ms': 21.4,
      'websocket.open.duration_ms': 59_978.6,
      'websocket.messages.sent': 42,
      'websocket.messages.received': 57,
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    },
    events: [{ name: 'websocket.open', timeMs: t0 + n + 21 }],
    receivedAtMs: t0 + n + 61_000,
  };
  return { connectionId: `${traceId}-c${n.toString(16).padStart(15, '0')}`, joinDeadlineMs: t0 + n + 90_000, clockOffsetMs: 0, span };
}

function batchAt(b: number): IncomingSide[] {
  const half = BATCH / 2;
  const fresh = Array.from({ length: half }, (_, i) => side('client', b * half + i));
  const peers =
    b === 0 ? Array.from({ length: half }, (_, i) => side('client', -1 - i)) : Array.from({ length: half }, (_, i) => side('server', (b - 1) * half + i));
  return [...fresh, ...peers];
}

function outcomeOf(n: number): ConnectionOutcome {
  return {
    cause: 'connection_lost',
    evidence: ['both sides saw an abrupt end'],
    service: `svc-${n % 20}`,
    route: '/rooms/:id',
    code: 1006,
    reason: '',
    phase: 'open',
    observedBy: 'both',
    startTimeMs: t0 + n,
    endTimeMs: t0 + n + 60_000,
    handshakeMs: 21.4,
    openMs: 59_978.6,
    appProtocol: null,
    appReason: null,
  };
}

async function measure(label: string, { concurrency, withFinalize }: { concurrency: number; withFinalize: boolean }): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'closewatch-ingest-bench-'));
  const store = await DuckDbStore.open(dataDir);
  try {
    await store.migrate();
    const prepared = Array.from({ length: batches }, (_, b) => batchAt(b));
    for (let b = 0; b < 20; b++) await store.upsertSides(batchAt(batches + 100 + b));
    let next = 0;
    async function caller(): Promise<void> {
      for (let b = next++; b < batches; b = next++) {
        const rows = await store.upsertSides(prepared[b]);
        if (withFinalize) {
          const joined = rows.filter((r) => r.client && r.server);
          await store.finalize(
            joined.map((r, i) => ({ id: r.id, outcome: outcomeOf(b * 50 + i) })),
            t0,
          );
        }
      }
    }
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, caller));
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const spans = batches * BATCH;
    const wall = spans / seconds;
    console.log(
      `${label.padEnd(40)} ${Math.round(wall).toLocaleString('en').padStart(8)} spans/s (ratio ${(wall / TARGET_SPANS_PER_S).toFixed(2)})` +
        `   ${Math.round(spans / cpuSeconds)
          .toLocaleString('en')
          .padStart(8)} spans per CPU-second (ratio ${(spans / cpuSeconds / TARGET_SPANS_PER_S).toFixed(2)})`,
    );
    reportFigure({
      name: `DuckDB store ${label}`,
      value: wall,
      unit: 'spans/s',
      baseline: TARGET_SPANS_PER_S,
      baselineLabel: 'target rate',
      ratio: wall / TARGET_SPANS_PER_S,
      target: { op: '>=', ratio: 1 },
      note: `${Math.round(spans / cpuSeconds)} spans per CPU-second (what this process needs, whatever the load); ${batches} batches of ${BATCH}`,
    });
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`DuckDB, batches of ${BATCH} sides (50 new connections + 50 merges), ${batches} batches per line; every call durable on return`);
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}; spans per CPU-second = what this process needs, independent of other load`,
);
await measure('upsertSides, 1 caller', { concurrency: 1, withFinalize: false });
await measure('upsertSides, 8 concurrent callers', { concurrency: 8, withFinalize: false });
await measure('upsertSides + finalize, 1 caller', { concurrency: 1, withFinalize: true });
await measure('upsertSides + finalize, 8 callers', { concurrency: 8, withFinalize: true });
