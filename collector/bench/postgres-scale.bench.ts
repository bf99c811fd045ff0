// Ingest on PostgreSQL with 1, 2 and 3 collector instances in one run: spans/s and the ratio to one
// instance, the CPU of each collector and of PostgreSQL, and the bottleneck. Real `closewatch start`
// processes on a private PostgreSQL server (initdb in a temp dir, fsync on, as in production; the shared
// server of the tests is never loaded), fed OTLP protobuf batches of 100 spans round-robin by a load
// generator in a worker thread of this process; a batch carries the client sides of 50 new connections
// and the server sides of the previous batch's, so the two sides of a connection reach different
// instances and join in the database.
// Everything shares this machine's cores (2 here), so the ratio to one instance is a floor: a second
// instance competes with the first, with PostgreSQL and with the load generator for the same CPU.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { postgresBinDir, quickOr, reportFigure, spawnManaged, startPrivatePostgres, type ManagedProcess, type PrivatePostgres } from '@closewatch/test/harness';
import { PostgresWaitSampler } from './support/postgres-waits.js';
import { machineCpuTicks, processCpuSeconds, processTreeCpu, treeCpuDelta } from './support/process-cpu.js';
import { runLoad } from './support/run-load.js';

const BATCHES = Number(process.env.CLOSEWATCH_BENCH_BATCHES ?? quickOr(40, 300));
const WARMUP_BATCHES = 40;
const INSTANCE_COUNTS = quickOr([1, 2], [1, 2, 3]);
/** Requests in flight per instance: enough to keep each one's group commit busy. */
const IN_FLIGHT_PER_INSTANCE = 8;
const CLOSEWATCH_BIN = new URL('../bin/closewatch.js', import.meta.url).pathname;

interface Collector {
  process: ManagedProcess;
  url: string;
}

async function startCollectors(count: number, databaseUrl: string): Promise<Collector[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawnManaged(process.execPath, [CLOSEWATCH_BIN, 'start', '--port', '0', '--database-url', databaseUrl], {
        env: { ...process.env, CLOSEWATCH_RATE_LIMIT_PER_SECOND: '0', CLOSEWATCH_DATA_DIR: undefined },
      });
      await child.waitForOutput(/listening on http/, 60_000);
      const port = /listening on http:\/\/\S+:(\d+) /.exec(child.stderr())![1];
      return { process: child, url: `http://127.0.0.1:${port}` };
    }),
  );
}

async function freshDatabase(postgres: PrivatePostgres, name: string): Promise<{ url: string; name: string }> {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

interface Run {
  instances: number;
  spansPerSecond: number;
  wallSeconds: number;
  /** Cores used over the measured run. */
  collectorCores: number[];
  postgresCores: number;
  loadGeneratorCores: number;
  /** Share of the machine's CPU busy during the run, with everything else that ran on it. */
  machineBusy: number;
  /** Average client backends per state (pg_stat_activity samples), largest first. */
  postgresStates: Array<[string, number]>;
  /** WAL written per span ingested, and the connections table's size (heap, indexes, TOAST) per row, as left and once vacuumed. */
  walBytesPerSpan: number;
  tableBytesPerRow: number;
  vacuumedBytesPerRow: number;
}

async function withDatabase<T>(url: string, query: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await query(client);
  } finally {
    await client.end();
  }
}

const walPosition = (url: string) =>
  withDatabase(url, async (client) => (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);

async function walBytesBetween(url: string, from: string, to: string): Promise<number> {
  return withDatabase(url, async (client) =>
    Number((await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($2, $1) AS bytes', [from, to])).rows[0].bytes),
  );
}

async function bytesPerRow(url: string, vacuumFirst = false): Promise<number> {
  return withDatabase(url, async (client) => {
    // Upserts and finalize leave dead row versions that autovacuum reclaims later: VACUUM FULL shows the live size.
    if (vacuumFirst) await client.query('VACUUM FULL connections');
    const { rows } = await client.query<{ bytes: string; n: string }>(
      `SELECT pg_total_relation_size('connections') AS bytes, (SELECT count(*) FROM connections) AS n`,
    );
    return Number(rows[0].bytes) / Math.max(1, Number(rows[0].n));
  });
}

async function measure(postgres: PrivatePostgres, instances: number): Promise<Run> {
  const database = await freshDatabase(postgres, `bench_scale_${instances}`);
  const collectors = await startCollectors(instances, database.url);
  try {
    const urls = collectors.map((collector) => collector.url);
    const concurrency = IN_FLIGHT_PER_INSTANCE * instances;
    await runLoad({ url: urls[0], urls, format: 'protobuf', batches: WARMUP_BATCHES, concurrency, serverSidesLater: true });
    const collectorsBefore = collectors.map((collector) => processCpuSeconds(collector.process.pid));
    const postgresBefore = processTreeCpu(postgres.pid()!);
    const selfBefore = process.cpuUsage();
    const machineBefore = machineCpuTicks();
    const sampler = new PostgresWaitSampler(postgres.url, database.name);
    const walBefore = await walPosition(database.url);
    await sampler.start();
    const result = await runLoad({ url: urls[0], urls, format: 'protobuf', batches: BATCHES, concurrency, serverSidesLater: true });
    const postgresStates = await sampler.stop();
    const walBytes = await walBytesBetween(database.url, walBefore, await walPosition(database.url));
    const machine = machineCpuTicks();
    const self = process.cpuUsage(selfBefore);
    const postgresSeconds = treeCpuDelta(postgresBefore, processTreeCpu(postgres.pid()!));
    const collectorSeconds = collectors.map((collector, index) => processCpuSeconds(collector.process.pid) - collectorsBefore[index]);
    const failed = Object.entries(result.statuses).filter(([status]) => status !== '200');
    if (failed.length > 0) throw new Error(`${instances} instance(s): non-200 answers ${JSON.stringify(result.statuses)}`);
    const wallSeconds = result.elapsedMs / 1000;
    return {
      instances,
      spansPerSecond: result.spansPerSecond,
      wallSeconds,
      collectorCores: collectorSeconds.map((seconds) => seconds / wallSeconds),
      postgresCores: postgresSeconds / wallSeconds,
      loadGeneratorCores: (self.user + self.system) / 1e6 / wallSeconds,
      machineBusy: (machine.busy - machineBefore.busy) / Math.max(1, machine.total - machineBefore.total),
      postgresStates,
      walBytesPerSpan: walBytes / result.spans,
      tableBytesPerRow: await bytesPerRow(database.url),
      vacuumedBytesPerRow: await bytesPerRow(database.url, true),
    };
  } finally {
    await Promise.all(collectors.map((collector) => collector.process.stop('SIGTERM', 10_000)));
  }
}

/** Names what limits a run from where the CPU went and what PostgreSQL's backends were doing. */
function bottleneck(run: Run, cores: number): string {
  const collectors = run.collectorCores.reduce((a, b) => a + b, 0);
  const ours = collectors + run.postgresCores + run.loadGeneratorCores;
  const busiest = Math.max(...run.collectorCores);
  const [topState, topBackends] = run.postgresStates[0] ?? ['no samples', 0];
  if (run.machineBusy >= 0.9 && ours < cores * 0.8) {
    return `the machine's CPU, taken by other work: ${(run.machineBusy * 100).toFixed(0)}% busy, this run got ${ours.toFixed(2)} of ${cores} cores`;
  }
  if (run.machineBusy >= 0.9) {
    const shares = [
      ['the collectors', collectors],
      ['PostgreSQL', run.postgresCores],
      ['the load generator', run.loadGeneratorCores],
    ] as const;
    const [name, share] = [...shares].sort((a, b) => b[1] - a[1])[0];
    return `this machine's ${cores} cores (${ours.toFixed(2)} busy with this run; the largest share: ${name}, ${share.toFixed(2)})`;
  }
  if (busiest >= 0.9) return `one collector's main thread (${busiest.toFixed(2)} cores)`;
  if (topState.startsWith('idle')) return `the collectors' round trips: PostgreSQL's backends were mostly idle (${topBackends.toFixed(1)} on average)`;
  return `PostgreSQL, waiting on ${topState} (${topBackends.toFixed(1)} backends on average)`;
}

function describeStates(states: Array<[string, number]>): string {
  return states
    .slice(0, 4)
    .map(([what, n]) => `${what} ${n.toFixed(1)}`)
    .join(', ');
}

if (postgresBinDir() === null) {
  console.log('postgres-scale: skipped, no PostgreSQL server binaries (initdb) under /usr/lib/postgresql');
} else {
  const postgres = await startPrivatePostgres({ fsync: true });
  try {
    const cores = cpus().length;
    console.log(
      `PostgreSQL ingest, 1–3 collector instances (closewatch start) on one private PostgreSQL (fsync on); ${BATCHES} batches of 100 spans (protobuf), ` +
        `${IN_FLIGHT_PER_INSTANCE} requests in flight per instance, sides of a connection in different requests; ` +
        `machine: ${cores} cores shared by everything, load average ${loadavg()[0].toFixed(1)}`,
    );
    const runs: Run[] = [];
    for (const instances of INSTANCE_COUNTS) runs.push(await measure(postgres, instances));
    const baseline = runs[0].spansPerSecond;
    for (const run of runs) {
      console.log(
        `${run.instances} instance${run.instances > 1 ? 's' : ' '}: ${run.spansPerSecond.toFixed(0).padStart(6)} spans/s, ratio ${(run.spansPerSecond / baseline).toFixed(2)}× of 1 instance; ` +
          `CPU (cores) collectors ${run.collectorCores.map((c) => c.toFixed(2)).join(' + ')}, PostgreSQL ${run.postgresCores.toFixed(2)}, load generator ${run.loadGeneratorCores.toFixed(2)}; ` +
          `machine ${(run.machineBusy * 100).toFixed(0)}% busy; bottleneck: ${bottleneck(run, cores)}`,
      );
      reportFigure({
        name: `ingest on PostgreSQL, ${run.instances} collector instance${run.instances > 1 ? 's' : ''}`,
        value: run.spansPerSecond,
        unit: 'spans/s',
        baseline,
        baselineLabel: '1 instance, same run',
        ratio: run.spansPerSecond / baseline,
        target: null,
        note: `${BATCHES} batches of 100 (protobuf), fsync on; bottleneck: ${bottleneck(run, cores)}`,
      });
      console.log(
        `  PostgreSQL client backends on average: ${describeStates(run.postgresStates)}; WAL ${run.walBytesPerSpan.toFixed(0)} bytes per span; ` +
          `connections table ${run.tableBytesPerRow.toFixed(0)} bytes per row (indexes included), ${run.vacuumedBytesPerRow.toFixed(0)} once vacuumed`,
      );
    }
    const perCollectorCore = runs.map((run) => run.spansPerSecond / run.collectorCores.reduce((a, b) => a + b, 0));
    const perPostgresCore = runs.map((run) => run.spansPerSecond / run.postgresCores);
    console.log(
      `per core: ${perCollectorCore.map((n) => n.toFixed(0)).join(' / ')} spans/s per collector core, ${perPostgresCore.map((n) => n.toFixed(0)).join(' / ')} spans/s per PostgreSQL core (1 / 2 / 3 instances)`,
    );
    console.log(`on ${cores} cores the ratio to 1 instance is a floor: the instances, PostgreSQL and the load generator compete for the same CPU`);
  } finally {
    await postgres.close();
  }
}
