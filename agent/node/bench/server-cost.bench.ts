// Server CPU per connection and per message, the server alone (issue #20's measure): a ws echo server
// in its own process, its clients in a second process, the OTLP export to a sink in a third. The
// figure is the server process's CPU (process.cpuUsage, export flushed into the round) per 1,000
// connections that open, send one message, read the echo and close with 1000, 20 at a time; and per
// 1,000 echoed messages on 20 open connections. Variants run in interleaved rounds, each against bare
// ws in the same round. `--quick` runs fewer rounds; `--rounds N` sets them.
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quickOr, reportFigure } from '@closewatch/test/harness';
import { ask, started } from './server-cost/child-messages.js';
import { SERVER_VARIANTS, type ServerVariant } from './server-cost/variants.js';
import { summariseProfile } from './server-cost/profile-summary.js';

const here = (name: string): string => fileURLToPath(new URL(`./server-cost/${name}`, import.meta.url));
const agentDir = fileURLToPath(new URL('..', import.meta.url));

const args = process.argv.slice(2);
const roundsArg = args.indexOf('--rounds');
const profileArg = args.indexOf('--profile');
/** `--profile <variant number>`: run that variant alone under --cpu-prof and print where its time goes. */
const PROFILE = profileArg >= 0 ? Number(args[profileArg + 1] ?? 1) : undefined;
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : args.includes('--quick') ? 4 : quickOr(3, 10);
const CONNECTIONS = 1000;
const CONCURRENCY = 20;
const MESSAGES = 10_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Server {
  variant: ServerVariant;
  child: ChildProcess;
  port: number;
}

const sink = fork(here('sink.mjs'), [], { cwd: agentDir, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const sinkPort = (await started<{ port: number }>(sink)).port;
const clients = fork(here('clients.mjs'), [], { cwd: agentDir, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const servers: Server[] = [];
const profileDir = mkdtempSync(join(tmpdir(), 'server-cost-prof-'));
for (const variant of PROFILE === undefined ? SERVER_VARIANTS : [SERVER_VARIANTS[PROFILE]]) {
  const child = fork(here('echo-server.mjs'), [], {
    cwd: agentDir,
    execArgv: ['--expose-gc', ...variant.execArgv, ...(PROFILE === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir])],
    env: { ...process.env, CLOSEWATCH_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_SERVICE_NAME: 'server-cost-bench', ...variant.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  servers.push({ variant, child, port: (await started<{ port: number }>(child)).port });
}

type Mode = 'connections' | 'messages';

/** Server CPU (µs) for one batch of work from the clients, export flushed before the second reading. */
async function measure(server: Server, mode: Mode): Promise<number> {
  const before = await ask<{ cpu: number }>(server.child, 'cpu');
  const job =
    mode === 'connections'
      ? { connections: CONNECTIONS, concurrency: CONCURRENCY, messages: 1 }
      : { connections: CONCURRENCY, concurrency: CONCURRENCY, messages: MESSAGES / CONCURRENCY };
  await ask(clients, { port: server.port, ...job });
  const after = await ask<{ cpu: number }>(server.child, 'cpu');
  return after.cpu - before.cpu;
}

async function rounds(mode: Mode): Promise<number[][]> {
  for (const server of servers) await measure(server, mode); // warm-up, unmeasured
  const cpu: number[][] = servers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no variant always runs first or last.
    for (let i = 0; i < servers.length; i++) {
      const index = (i + round) % servers.length;
      cpu[index].push(await measure(servers[index], mode));
    }
  }
  return cpu;
}

function report(mode: Mode, cpu: number[][]): void {
  const per = mode === 'connections' ? `1,000 connections` : `1,000 messages`;
  const scale = mode === 'connections' ? 1000 / CONNECTIONS : 1000 / MESSAGES;
  const bare = cpu[0];
  console.log(`\nserver CPU per ${per} (${ROUNDS} interleaved rounds; ratio per round against bare ws in the same round)`);
  console.log('| server | CPU ms (median) | ratio median | ratio best | ratio worst |');
  console.log('|---|---|---|---|---|');
  servers.forEach((server, index) => {
    const ratios = cpu[index].map((value, round) => value / bare[round]);
    const ms = (median(cpu[index]) * scale) / 1000;
    console.log(
      `| ${server.variant.name} | ${ms.toFixed(1)} | ${median(ratios).toFixed(2)}× | ${Math.min(...ratios).toFixed(2)}× | ${Math.max(...ratios).toFixed(2)}× |`,
    );
    if (index === 0) return;
    const bound = server.variant.target?.[mode];
    reportFigure({
      name: `server CPU per ${mode === 'connections' ? 'connection' : 'message'}, ${server.variant.name}, server alone`,
      value: ms,
      unit: `CPU ms per ${per}`,
      baseline: (median(bare) * scale) / 1000,
      baselineLabel: 'bare ws',
      ratio: median(ratios),
      target: bound === undefined ? null : { op: '<=', ratio: bound },
      note: `median of ${ROUNDS} interleaved rounds (best ${Math.min(...ratios).toFixed(2)}, worst ${Math.max(...ratios).toFixed(2)}); clients and OTLP sink in other processes`,
    });
  });
}

async function profile(): Promise<void> {
  const server = servers[0];
  for (let i = 0; i < 5; i++) await measure(server, 'connections');
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('exit');
  await exited;
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  console.log(`${server.variant.name}, 5,000 connections under --cpu-prof (${join(profileDir, file ?? '?')})`);
  if (file) console.log(summariseProfile(join(profileDir, file)));
}

try {
  if (PROFILE !== undefined) {
    await profile();
    process.exit(0);
  }
  const loadBefore = loadavg()[0];
  report('connections', await rounds('connections'));
  report('messages', await rounds('messages'));
  const sunk = await ask<{ bodies: number; bytes: number }>(sink, 'count');
  for (const server of servers) {
    const memory = await ask<{ rss: number; heap: number }>(server.child, 'memory');
    console.log(`${server.variant.name}: rss ${(memory.rss / 1048576).toFixed(0)} MB, heap ${(memory.heap / 1048576).toFixed(1)} MB`);
  }
  console.log(
    `sink received ${sunk.bodies} OTLP bodies, ${(sunk.bytes / 1024).toFixed(0)} KB; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (2 cores shared with other work)`,
  );
} finally {
  for (const server of servers) server.child.kill();
  clients.kill();
  sink.kill();
}
