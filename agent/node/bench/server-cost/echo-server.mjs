// The measured server of server-cost.bench.ts: a plain ws echo server in its own process. Answers
// `cpu` over IPC with its process CPU so far (µs), after flushing the agent's spans (its own export or
// the tracer provider), so the export of the spans of the round is counted too.
import { trace } from '@opentelemetry/api';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', function echoOnConnection(ws) {
  ws.on('message', function echo(data, isBinary) {
    ws.send(data, { binary: isBinary });
  });
});
wss.on('listening', function reportPort() {
  // Over IPC when forked (server-cost.bench.ts); on stdout when run under valgrind (server-instructions.bench.ts).
  if (process.send) process.send({ port: wss.address().port });
  else console.log(`port ${wss.address().port}`);
});

/** The agent's own flush under --import register (its own export or the app's provider); else the global provider's. */
const withAgent = process.execArgv.some((arg) => arg.includes('agent-node/register'));
const agent = withAgent ? await import('@closewatch/agent-node') : undefined;

async function flushSpans() {
  if (agent) return agent.flushSpans(10_000);
  const provider = trace.getTracerProvider();
  const delegate = typeof provider.getDelegate === 'function' ? provider.getDelegate() : provider;
  if (typeof delegate.forceFlush === 'function') await delegate.forceFlush();
}

process.on('message', async function answer(message) {
  if (message === 'exit') process.exit(0); // lets --cpu-prof write its profile
  if (message === 'memory') {
    // After a full collection (the bench starts every server with --expose-gc): what stays, not what waits for GC.
    globalThis.gc?.();
    process.send({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
    return;
  }
  if (message !== 'cpu') return;
  await flushSpans();
  const { user, system } = process.cpuUsage();
  process.send({ cpu: user + system, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
});
