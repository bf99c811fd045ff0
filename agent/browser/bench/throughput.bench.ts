// Messages per second through a wrapped WebSocket vs the native one, in the same Chromium page: the
// snippet is installed and uninstalled between paired rounds, so both sides share renderer and server.
// Prints the ratio (target ≥ 0.97×) and the snippet's size against the usual browser agents.
// Two views: the echo round trip (real, but the network service, the echo server and this process share
// the machine's two cores, so paired ratios spread), and the page's own loops without the network in the
// timed part (the agent's per-message work alone: a send() loop, and a dispatch loop of message events).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launchChromium, openPage, quickOr, reportFigure, startOtlpReceiver, startWsServer } from '@closewatch/test/harness';
import { serveAgentPage, snippetPath } from '../test/agent-page.js';

const MESSAGES_PER_ROUND = quickOr(2_000, 20_000);
/** The snippet's budget, min+gzip as served (agent/browser README). */
const SNIPPET_BUDGET_BYTES = 3584;
const ROUNDS = Number(process.env.CLOSEWATCH_BENCH_ROUNDS) || quickOr(3, 20);
/** Iterations of each in-page loop (send, dispatch) per round. */
const LOOP_ITERATIONS = Number(process.env.CLOSEWATCH_BENCH_LOOP_ITERATIONS) || quickOr(5_000, 50_000);
/** Published min+gzip sizes of the usual browser agents, KB (bundlephobia / vendor docs). */
const PUBLISHED_KB: Array<[string, number]> = [
  ['OpenTelemetry web (sdk-trace-web + OTLP exporter)', 20],
  ['Sentry browser', 33],
  ['Grafana Faro web-sdk', 42],
  ['Datadog browser RUM', 69],
];

// In the page: installs the agent (loads the snippet) or uninstalls it, so that rounds alternate in one page.
const setAgent = `async (wrapped, endpoint) => {
  const agentKey = Symbol.for('closewatch.agent');
  if (!wrapped) window[agentKey]?.uninstall();
  if (wrapped && !window[agentKey]) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/agent.js';
      script.dataset.endpoint = endpoint;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }
}`;

// Sends `count` small messages pipelined to an echo server and resolves with messages per second once
// every echo is back and read.
const echoRound = `async ({ base, count, wrapped, endpoint }) => {
  await (${setAgent})(wrapped, endpoint);
  const agentKey = Symbol.for('closewatch.agent');
  const socket = new WebSocket(base + '/echo');
  await new Promise((resolve) => (socket.onopen = resolve));
  let received = 0;
  let characters = 0;
  // Like any app, the handler reads each message.
  const done = new Promise((resolve) => (socket.onmessage = (event) => { characters += event.data.length; if (++received === count) resolve(); }));
  const started = performance.now();
  for (let i = 0; i < count; i++) socket.send('message ' + i);
  await done;
  const elapsed = performance.now() - started;
  socket.close();
  return { rate: count / (elapsed / 1000), wrapped: !!window[agentKey] };
}`;

// The page's own loops, with the socket OPEN: the time of `count` send() calls (the echoes come back
// after the clock stops), and of `count` message events dispatched to the socket with a handler that
// reads the data, as an app's does. Only the agent's wrapper and listener differ between the two sides.
const loopRound = `async ({ base, count, wrapped, endpoint }) => {
  await (${setAgent})(wrapped, endpoint);
  const agentKey = Symbol.for('closewatch.agent');
  const socket = new WebSocket(base + '/sink');
  await new Promise((resolve) => (socket.onopen = resolve));
  let characters = 0;
  socket.onmessage = (event) => { characters += event.data.length; };
  let started = performance.now();
  for (let i = 0; i < count; i++) socket.send('message ' + (i & 1023));
  const sendMs = performance.now() - started;
  const event = new MessageEvent('message', { data: 'message 12345' });
  started = performance.now();
  for (let i = 0; i < count; i++) socket.dispatchEvent(event);
  const dispatchMs = performance.now() - started;
  socket.close();
  return { send: count / (sendMs / 1000), dispatch: count / (dispatchMs / 1000), wrapped: !!window[agentKey], characters };
}`;

interface ProfileNode {
  hitCount?: number;
  callFrame: { functionName: string; url: string; columnNumber: number };
}

/** The 20 functions with the most CPU samples, to see where a wrapped round spends its time. */
function printHotFunctions(nodes: ProfileNode[]): void {
  const hot = nodes.filter((node) => (node.hitCount ?? 0) > 0).sort((a, b) => (b.hitCount ?? 0) - (a.hitCount ?? 0));
  for (const node of hot.slice(0, 20)) {
    const { functionName, url, columnNumber } = node.callFrame;
    console.log(`    ${String(node.hitCount).padStart(5)} ${functionName || '(anonymous)'} ${url.split('/').pop()}:${columnNumber}`);
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}
const median = (values: number[]) => quantile(values, 0.5);
const spread = (ratios: number[]) =>
  `paired ratios ${quantile(ratios, 0).toFixed(2)}–${quantile(ratios, 1).toFixed(2)}, middle half ${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)}`;

const browser = await launchChromium();
const receiver = await startOtlpReceiver();
const wsServer = await startWsServer({
  onConnection(socket, request) {
    // /sink swallows what the in-page loops send; everything else is echoed.
    if (request.url === '/sink') return;
    socket.on('message', function echo(data) {
      socket.send((data as Buffer).toString());
    });
  },
});
const server = await serveAgentPage({ agent: null });
try {
  const page = await openPage(browser, `${server.url}/native`);
  async function round(wrapped: boolean, count: number): Promise<number> {
    const args = { base: wsServer.url, count, wrapped, endpoint: receiver.url };
    const result = await page.evaluate<{ rate: number; wrapped: boolean }>(`(${echoRound})(${JSON.stringify(args)})`);
    if (result.wrapped !== wrapped) throw new Error(`round ran ${result.wrapped ? 'with' : 'without'} the agent`);
    return result.rate;
  }
  await round(false, 2000);
  await round(true, 2000);
  const nativeRates: number[] = [];
  const wrappedRates: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which side goes first so drift in the machine's load hits both alike.
    const nativeFirst = i % 2 === 0;
    const first = await round(!nativeFirst, MESSAGES_PER_ROUND);
    const second = await round(nativeFirst, MESSAGES_PER_ROUND);
    const [native, wrapped] = nativeFirst ? [first, second] : [second, first];
    nativeRates.push(native);
    wrappedRates.push(wrapped);
    ratios.push(wrapped / native);
  }
  console.log(`echo throughput (send + receive over loopback), ${ROUNDS} paired rounds of ${MESSAGES_PER_ROUND} messages, medians:`);
  console.log(`  native   ${median(nativeRates).toFixed(0)} msg/s`);
  console.log(`  wrapped  ${median(wrappedRates).toFixed(0)} msg/s`);
  console.log(`  ratio    ${median(ratios).toFixed(3)}× wrapped/native, median of paired rounds (target ≥ 0.97×)`);
  console.log(`  spread   ${spread(ratios)}; a wide spread means the machine was too busy to resolve a few %`);
  reportFigure({
    name: 'browser echo throughput with the snippet',
    value: median(wrappedRates),
    unit: 'msg/s',
    baseline: median(nativeRates),
    baselineLabel: 'native WebSocket, same page',
    ratio: median(ratios),
    target: { op: '>=', ratio: 0.97 },
    note: `${ROUNDS} paired rounds of ${MESSAGES_PER_ROUND} messages; ratio = median of paired rounds, ${spread(ratios)}`,
  });

  // The page's own loops, paired the same way: no network in the timed part.
  async function loops(wrapped: boolean): Promise<{ send: number; dispatch: number }> {
    const args = { base: wsServer.url, count: LOOP_ITERATIONS, wrapped, endpoint: receiver.url };
    const result = await page.evaluate<{ send: number; dispatch: number; wrapped: boolean }>(`(${loopRound})(${JSON.stringify(args)})`);
    if (result.wrapped !== wrapped) throw new Error(`loop round ran ${result.wrapped ? 'with' : 'without'} the agent`);
    return result;
  }
  await loops(false);
  await loops(true);
  const sendRatios: number[] = [];
  const dispatchRatios: number[] = [];
  const loopRates = { native: { send: [] as number[], dispatch: [] as number[] }, wrapped: { send: [] as number[], dispatch: [] as number[] } };
  for (let i = 0; i < ROUNDS; i++) {
    const nativeFirst = i % 2 === 0;
    const first = await loops(!nativeFirst);
    const second = await loops(nativeFirst);
    const [native, wrapped] = nativeFirst ? [first, second] : [second, first];
    for (const kind of ['send', 'dispatch'] as const) {
      loopRates.native[kind].push(native[kind]);
      loopRates.wrapped[kind].push(wrapped[kind]);
    }
    sendRatios.push(wrapped.send / native.send);
    dispatchRatios.push(wrapped.dispatch / native.dispatch);
  }
  // What the agent adds per call, from each pair of rounds: 1/wrapped − 1/native seconds.
  const extraMicros = (kind: 'send' | 'dispatch') => median(loopRates.wrapped[kind].map((wrapped, i) => (1 / wrapped - 1 / loopRates.native[kind][i]) * 1e6));
  console.log(`page loops, ${ROUNDS} paired rounds of ${LOOP_ITERATIONS} iterations, medians (no network in the timed part):`);
  for (const [kind, label] of [
    ['send', 'send()  '],
    ['dispatch', 'message '],
  ] as const) {
    const ratios = kind === 'send' ? sendRatios : dispatchRatios;
    console.log(
      `  ${label} native ${median(loopRates.native[kind]).toFixed(0)}/s, wrapped ${median(loopRates.wrapped[kind]).toFixed(0)}/s, ` +
        `agent +${extraMicros(kind).toFixed(2)} µs per call, ratio ${median(ratios).toFixed(3)}× (${spread(ratios)})`,
    );
    if (kind === 'dispatch') {
      reportFigure({
        name: 'message events dispatched in the page with the snippet (no network)',
        value: median(loopRates.wrapped.dispatch),
        unit: 'events/s',
        baseline: median(loopRates.native.dispatch),
        baselineLabel: 'native WebSocket, same page',
        ratio: median(ratios),
        target: null,
        note: `agent +${extraMicros(kind).toFixed(2)} µs per message event`,
      });
    }
  }
  // The send() loop mostly times Chromium's IPC backpressure, so the steadier message figure makes the estimate.
  const echoMicros = 1e6 / median(nativeRates);
  const messageMicros = extraMicros('dispatch');
  console.log(
    `  estimate one message event costs the agent ${messageMicros.toFixed(2)} µs, ${((messageMicros / echoMicros) * 100).toFixed(1)}% of the ` +
      `${echoMicros.toFixed(0)} µs a native echo round trip took here: ≈${(echoMicros / (echoMicros + messageMicros)).toFixed(3)}× echo throughput`,
  );

  // Machine-load-proof view of the same cost: the agent's share of the renderer's CPU samples in a wrapped round.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await round(true, MESSAGES_PER_ROUND);
  const { profile } = await cdp.send('Profiler.stop');
  let agentHits = 0;
  let busyHits = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (node.callFrame.functionName === '(idle)') continue;
    busyHits += hits;
    if (node.callFrame.url.endsWith('/agent.js')) agentHits += hits;
  }
  if (process.env.CLOSEWATCH_DEBUG) printHotFunctions(profile.nodes);
  console.log(`  cpu      agent code ${((agentHits / busyHits) * 100).toFixed(1)}% of the page's busy CPU samples in a wrapped round`);

  const gzipBytes = readFileSync(`${snippetPath}.gz`).length;
  const kb = gzipBytes / 1024;
  console.log(
    `\nsnippet dist/closewatch.iife.js: ${gzipBytes} bytes min+gzip as served (${kb.toFixed(2)} KB; zopfli), ` +
      `${gzipSync(readFileSync(snippetPath), { level: 9 }).length} bytes with zlib level 9, budget 3584`,
  );
  reportFigure({
    name: 'snippet size, min+gzip as served',
    value: gzipBytes,
    unit: 'bytes',
    baseline: SNIPPET_BUDGET_BYTES,
    baselineLabel: 'budget',
    ratio: gzipBytes / SNIPPET_BUDGET_BYTES,
    target: { op: '<=', ratio: 1 },
    note: `smallest usual agent: ${PUBLISHED_KB[0]?.[0]} ~${PUBLISHED_KB[0]?.[1]} KB`,
  });
  for (const [name, published] of PUBLISHED_KB) {
    console.log(`  ${name.padEnd(50)} ~${published} KB  → closewatch is ${(published / kb).toFixed(1)}× smaller`);
  }
} finally {
  await browser.close();
  await server.close();
  await wsServer.close();
  await receiver.close();
}
