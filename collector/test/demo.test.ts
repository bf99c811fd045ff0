import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort, makeTempDir, type CleanupScope } from '@closewatch/test/harness';
import { DEFAULT_CONFIG } from '../src/config.js';
import { waitForCollectorView } from '../src/demo/collector-view.js';
import { runDemoCommand } from '../src/demo/demo-command.js';
import { DEMO_SERVICE } from '../src/demo/demo-tracing.js';
import { runFleet } from '../src/demo/run-fleet.js';
import { SCENARIOS, seededRandom } from '../src/demo/scenarios.js';
import { startCollector, type RunningCollector } from '../src/start-collector.js';
import { runCloseWatch } from './support/collector-process.js';

async function startDemoCollector(t: CleanupScope): Promise<RunningCollector> {
  const dir = makeTempDir('demo-collector');
  t.after(() => dir.remove());
  const collector = await startCollector(
    { ...DEFAULT_CONFIG, port: 0, dataDir: dir.path, joinWindowMs: 2_000, sweepIntervalMs: 200 },
    { log: function quietCollectorLog() {} },
  );
  t.after(() => collector.close());
  return collector;
}

interface Captured {
  stdout: string;
  stderr: string;
}

function capturingIo(env: NodeJS.ProcessEnv = {}) {
  const captured: Captured = { stdout: '', stderr: '' };
  const io = {
    stdout: (text: string) => void (captured.stdout += text),
    stderr: (text: string) => void (captured.stderr += text),
    env,
  };
  return { captured, io };
}

interface CloseRow {
  cause: string;
  route: string;
  observedBy: string;
  code: number | null;
}

async function demoCloses(collectorUrl: string): Promise<CloseRow[]> {
  const response = await fetch(`${collectorUrl}/api/v1/closes?service=${DEMO_SERVICE}&limit=500`);
  return ((await response.json()) as { items: CloseRow[] }).items;
}

/** Causes the mix produces whatever the timing; a terminate or reset can race a heartbeat ping on a busy loop. */
const STEADY_CAUSES = [
  'normal_closure',
  'application_close',
  'handshake_auth_rejected',
  'handshake_http_rejected',
  'handshake_subprotocol_mismatch',
  'handshake_aborted_by_client',
  'server_heartbeat_timeout',
  'server_rejected_frame',
  'server_shutdown',
];

test('a short fleet run through the real Node agent fills the collector with the mix of causes, joined from both sides', async (t) => {
  const collector = await startDemoCollector(t);
  const deckSize = SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);

  const run = await runFleet({ collectorUrl: collector.url, key: null, durationMs: 2_000, rate: deckSize / 2, random: seededRandom(7) });

  assert.equal(run.launched, deckSize);
  assert.deepEqual(new Set(run.byScenario.keys()), new Set(SCENARIOS.map((scenario) => scenario.id)), 'one full deck: every scenario ran');
  const view = await waitForCollectorView(collector.url, run.startedAtMs - 1000, run.launched, 15_000);
  assert.equal(view.total, run.launched, 'every connection became a final record');
  const closes = await demoCloses(collector.url);
  const causes = new Set(closes.map((close) => close.cause));
  for (const cause of STEADY_CAUSES) assert.ok(causes.has(cause), `${cause} among ${[...causes].join(', ')}`);
  assert.ok(causes.size >= STEADY_CAUSES.length + 1, `the terminate and reset scenarios add at least one more cause: ${[...causes].join(', ')}`);
  const joined = closes.filter((close) => close.observedBy === 'both');
  // Only a client that gave up before its upgrade reached the server is seen by one side.
  assert.deepEqual(
    closes.filter((close) => close.observedBy !== 'both').map((close) => close.cause),
    ['handshake_aborted_by_client'],
  );
  assert.equal(joined.length, deckSize - 1);
  assert.ok(
    closes.some((close) => close.route === '/chat/:id' || close.route.startsWith('/chat/')),
    'chat routes',
  );
  assert.ok(closes.some((close) => close.route === '/admin' && close.cause === 'handshake_auth_rejected'));
});

test('closewatch demo --collector reports to a running collector and prints what it did, what was found and the dashboard URL', async (t) => {
  const collector = await startDemoCollector(t);
  const { captured, io } = capturingIo();

  const code = await runDemoCommand(['--collector', collector.url, '--duration', '1', '--rate', '6'], io);

  assert.equal(code, 0, captured.stderr);
  assert.match(captured.stdout, /^closewatch demo: 6 connections in [\d.]+ s, reported to http:\/\/127\.0\.0\.1:\d+\n/);
  assert.match(captured.stdout, /What the fleet did:\n/);
  assert.match(captured.stdout, /What the collector found \(\d+ classified[^)]*\):\n {2}[a-z_]+ +\d+\n/);
  assert.ok(captured.stdout.endsWith(`Dashboard: ${collector.url}/\n`));
  const response = await fetch(`${collector.url}/api/v1/summary?service=${DEMO_SERVICE}`);
  assert.ok(((await response.json()) as { total: number }).total > 0);
});

test('closewatch demo rejects bad options with a message naming the option (exit 2)', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--rate', '0'], /--rate must be a positive number of connections per second, got "0"/],
    [['--rate', 'fast'], /--rate must be a positive number/],
    [['--rate', '1000'], /--rate must be at most 100/],
    [['--duration=-5'], /--duration must be a positive duration/],
    [['--duration', '7200'], /--duration must be at most 60m/],
    [['--duration', '2h'], /--duration must be at most 60m/],
    [['--collector', 'ftp://127.0.0.1:4318'], /--collector must be an http:\/\/ or https:\/\/ URL/],
    [['--collector', 'not a url'], /--collector must be a URL such as http:\/\/127\.0\.0\.1:4318/],
    [['--port', '70000'], /--port must be a TCP port/],
    [['--collector', 'http://127.0.0.1:4318', '--port', '4000'], /--port configures a collector the demo starts; it cannot be combined with --collector/],
    [['--collector', 'http://127.0.0.1:4318', '--database-url', 'postgres://127.0.0.1/x'], /--database-url configures a collector/],
    [['--speed', '3'], /Unknown option '--speed'/],
  ];
  for (const [argv, message] of cases) {
    const { captured, io } = capturingIo();
    assert.equal(await runDemoCommand(argv, io), 2, argv.join(' '));
    assert.match(captured.stderr, message);
    assert.match(captured.stderr, /Usage: closewatch demo/);
  }
});

test('closewatch demo --collector with nothing listening explains and exits 1 without starting a fleet', async () => {
  const port = await freePort();
  const { captured, io } = capturingIo();

  const code = await runDemoCommand(['--collector', `http://127.0.0.1:${port}`, '--duration', '1'], io);

  assert.equal(code, 1);
  assert.match(captured.stderr, new RegExp(`no collector answers at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); start one with \`closewatch start\``));
  assert.equal(captured.stdout, '');
});

test('closewatch demo --help prints the usage', async () => {
  const { captured, io } = capturingIo();
  assert.equal(await runDemoCommand(['--help'], io), 0);
  assert.match(captured.stdout, /--collector <url>/);
  assert.match(captured.stdout, /--duration <d>/);
  assert.match(captured.stdout, /--rate <n>/);
});

test('the closewatch bin: demo starts a collector, fills it, prints the summary, keeps serving the dashboard until SIGTERM', async (t) => {
  const dir = makeTempDir('demo-bin');
  t.after(() => dir.remove());
  const port = await freePort();
  const demo = runCloseWatch(['demo', '--port', String(port), '--data-dir', dir.path, '--duration', '1', '--rate', '8'], t, {
    // The one side whose peer never comes (a client that gave up while connecting) is final after this.
    CLOSEWATCH_JOIN_WINDOW_MS: '2000',
  });

  await demo.waitForOutput(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/\n/, 60_000);
  assert.match(demo.stdout(), new RegExp(`^closewatch demo: 8 connections in [\\d.]+ s, reported to http://127\\.0\\.0\\.1:${port}\\n`));
  assert.match(demo.stderr(), new RegExp(`started a collector at http://127\\.0\\.0\\.1:${port}`));
  const summary = (await (await fetch(`http://127.0.0.1:${port}/api/v1/summary?service=${DEMO_SERVICE}`)).json()) as { total: number };
  assert.ok(summary.total > 0, 'the dashboard has data while the demo keeps serving');
  assert.equal(demo.isRunning(), true);
  demo.kill('SIGTERM');
  assert.deepEqual(await demo.exited, { code: 0, signal: null });
});
