// Server cost per connection counted in instructions, not seconds (issue #20): the echo server of
// server-cost.bench.ts runs under valgrind's callgrind, which counts the user-space instructions every
// thread of the process executes; V8 runs single-threaded (`--single-threaded`: its compilers and GC
// work on the main thread, so tiering does not depend on how much CPU background threads got) and the
// count repeats whatever else the machine is doing. So, unlike the
// CPU-time bench, one run gives a ratio that does not move with the load. It leaves out the kernel's
// work (socket writes and reads), which bare `ws` spends a large share of its CPU time on, so these
// ratios are higher than the CPU-time ones; read both. Each server: 3,000 connections of warm-up (the
// JIT settles), counters zeroed, then 1,000 connections (open, one echoed message, close 1000) from a
// client in another process, 3 s for the batch export, counters dumped. The servers run side by side:
// instruction counts do not depend on contention. Needs valgrind (Debian's package); without it, says
// so and reports nothing. `--quick` warms up with 1,000 connections and measures 500.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quickOr, reportFigure } from '@closewatch/test/harness';
import { ask, started } from './server-cost/child-messages.js';
import { SERVER_VARIANTS, type ServerVariant } from './server-cost/variants.js';

const here = (name: string): string => fileURLToPath(new URL(`./server-cost/${name}`, import.meta.url));
const agentDir = fileURLToPath(new URL('..', import.meta.url));
const WARM_UP = quickOr(1000, 3000);
const CONNECTIONS = quickOr(500, 1000);
const EXPORT_WAIT_MS = 3000;

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The server's port, from the line the echo server prints when it runs without an IPC channel. */
function portOf(server: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no port from the server under valgrind within 180 s: ${output.slice(-500)}`)), 180_000);
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output.slice(-500)}`)));
  });
}

function control(pid: number, flag: string): void {
  execFileSync('callgrind_control', [flag, String(pid)], { stdio: 'ignore' });
}

/** Instructions of the measured phase, from the dump `callgrind_control -d` wrote. */
function countOf(dump: string): number {
  const total = Number(/^summary: (\d+)/m.exec(readFileSync(dump, 'utf8'))?.[1] ?? NaN);
  if (!Number.isFinite(total)) throw new Error(`no instruction count in ${dump}`);
  return total;
}

async function measure(variant: ServerVariant, clients: ChildProcess, sinkPort: number, dir: string): Promise<number> {
  const out = join(dir, `callgrind.${SERVER_VARIANTS.indexOf(variant)}.out`);
  // --single-threaded: V8 compiles and collects garbage on the main thread, so when the JIT tiers up no
  // longer depends on how much CPU its background threads got, and the count repeats run to run.
  const server = spawn(
    'valgrind',
    ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, 'node', '--single-threaded', ...variant.execArgv, here('echo-server.mjs')],
    {
      cwd: agentDir,
      env: { ...process.env, CLOSEWATCH_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_SERVICE_NAME: 'server-instructions-bench', ...variant.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const port = await portOf(server);
    await ask(clients, { port, connections: WARM_UP, concurrency: 20, messages: 1 });
    control(server.pid!, '-z');
    await ask(clients, { port, connections: CONNECTIONS, concurrency: 20, messages: 1 });
    await new Promise((resolve) => setTimeout(resolve, EXPORT_WAIT_MS));
    control(server.pid!, '-d');
    const dump = readdirSync(dir)
      .filter((name) => name.startsWith(`callgrind.${SERVER_VARIANTS.indexOf(variant)}.out.`))
      .map((name) => join(dir, name))
      .at(-1);
    if (!dump || !existsSync(dump)) throw new Error(`callgrind wrote no dump for ${variant.name}`);
    return countOf(dump);
  } finally {
    server.kill();
  }
}

if (!hasValgrind()) {
  console.log('server-instructions: valgrind (with callgrind_control) is not installed; `apt-get install -y valgrind` to run this bench. Nothing reported.');
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'server-instructions-'));
const sink = fork(here('sink.mjs'), [], { cwd: agentDir, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const sinkPort = (await started<{ port: number }>(sink)).port;
try {
  // Side by side: counts do not depend on contention, and under valgrind each server takes minutes.
  const counts = await Promise.all(
    SERVER_VARIANTS.map(async (variant) => {
      // A client process per server: they contend only for time, which is not counted.
      const own = fork(here('clients.mjs'), [], { cwd: agentDir, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      try {
        return await measure(variant, own, sinkPort, dir);
      } finally {
        own.kill();
      }
    }),
  );
  const bare = counts[0];
  const perConnection = (instructions: number): number => instructions / CONNECTIONS / 1000;
  console.log(`\nserver instructions per connection (callgrind, ${CONNECTIONS} connections after ${WARM_UP} of warm-up)`);
  console.log('| server | k instructions per connection | ratio |');
  console.log('|---|---|---|');
  SERVER_VARIANTS.forEach((variant, index) => {
    const total = counts[index];
    console.log(`| ${variant.name} | ${perConnection(total).toFixed(0)} | ${(total / bare).toFixed(2)}× |`);
    if (index === 0) return;
    reportFigure({
      name: `server instructions per connection, ${variant.name} (callgrind, V8 single-threaded)`,
      value: perConnection(total),
      unit: 'k instructions per connection',
      baseline: perConnection(bare),
      baselineLabel: 'bare ws',
      ratio: total / bare,
      target: null,
      note: "user space only: the kernel's socket work is not counted, so the ratio is above the CPU-time one",
    });
  });
} finally {
  sink.kill();
}
