// Where the connection-churn overhead goes: the churn round of connection-churn.bench.ts, paired with
// no agent exactly as that bench does, for setups that each add one layer. Not a *.bench.ts: run it
// by hand (`node --expose-gc --import tsx agent/node/bench/churn-breakdown.ts [rounds] [setup …]`).
import { ProxyTracerProvider, ROOT_CONTEXT, SpanKind, type TracerProvider } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startWsServer } from '@closewatch/test/harness';
import { setActiveAgent } from '../src/agent-state.js';
import { WsInstrumentation } from '../src/index.js';
import { compareChurn, formatRatio } from './load.js';

const ROUND_MS = 800;
const WORKERS = 8;
const SETTLE_MS = 400;

class DiscardingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    resultCallback({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new DiscardingExporter())] });

/** The attributes of a plain churned server span, in the order the agent sets them. */
const CHURN_SPAN_ATTRIBUTES: [string, string | number | boolean][] = [
  ['url.full', 'ws://127.0.0.1:40000/'],
  ['websocket.route', '/'],
  ['server.address', '127.0.0.1'],
  ['server.port', 40000],
  ['client.address', '127.0.0.1'],
  ['websocket.opened', true],
  ['websocket.messages.sent', 0],
  ['websocket.messages.received', 0],
  ['websocket.bytes.sent', 0],
  ['websocket.bytes.received', 0],
  ['websocket.handshake.duration_ms', 1.25],
  ['websocket.open.duration_ms', 0.5],
  ['websocket.idle_before_close_ms', 0.5],
  ['websocket.subprotocol', ''],
  ['websocket.close.code', 1000],
  ['websocket.close.was_clean', true],
  ['websocket.close.initiator', 'client'],
  ['websocket.phase', 'open'],
  ['websocket.termination', 'close'],
];

interface Setup {
  description: string;
  enable(): void;
  disable(): void;
}

function agentSetup(description: string, tracerProvider: TracerProvider, afterEnable = (): void => {}): Setup {
  const instrumentation = new WsInstrumentation({ enabled: false, handleProcessExit: false, instrumentClients: false });
  instrumentation.setTracerProvider(tracerProvider);
  return {
    description,
    enable() {
      instrumentation.enable();
      afterEnable();
    },
    disable: () => instrumentation.disable(),
  };
}

/** Attribute count of the app-side span; 0 turns it off. */
let appSpanAttributes = -1;
const appTracer = provider.getTracer('churn-breakdown');

function appSpanSetup(description: string, attributes: number): Setup {
  return { description, enable: () => (appSpanAttributes = attributes), disable: () => (appSpanAttributes = -1) };
}

const setups: Record<string, Setup> = {
  patches: agentSetup('agent enabled, no connection recorded (the prototype patches alone)', provider, () => setActiveAgent(undefined)),
  'agent-noop-tracer': agentSetup('agent recording into a no-op tracer provider (its own work, no SDK span)', new ProxyTracerProvider()),
  'sdk-span-0': appSpanSetup('no agent; the app starts one SDK span per connection and ends it at close, no attributes', 0),
  'sdk-span-19': appSpanSetup(
    `no agent; the same span with the ${CHURN_SPAN_ATTRIBUTES.length} attributes of a churned server span`,
    CHURN_SPAN_ATTRIBUTES.length,
  ),
  agent: agentSetup('the agent as in connection-churn.bench.ts', provider),
};

const [roundsArg, ...names] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 24);
const chosen = names.length > 0 ? names : Object.keys(setups);

const server = await startWsServer({
  onConnection(ws) {
    if (appSpanAttributes < 0) return;
    const span = appTracer.startSpan('websocket.connection', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    span.addEvent('websocket.open');
    const count = appSpanAttributes;
    ws.once('close', function appSpanOnClose() {
      for (let index = 0; index < count; index++) {
        const [key, value] = CHURN_SPAN_ATTRIBUTES[index];
        span.setAttribute(key, value);
      }
      span.end();
    });
  },
});
try {
  for (const name of chosen) {
    const setup = setups[name];
    if (!setup) throw new TypeError(`unknown setup "${name}": one of ${Object.keys(setups).join(', ')}`);
    const result = await compareChurn(server.url, rounds, setup, { workers: WORKERS, roundMs: ROUND_MS, settleMs: SETTLE_MS });
    console.log(
      `${name}: ${formatRatio(result.ratio, result.ratioQuartiles)} per wall-clock second, ${formatRatio(result.cpuRatio, result.cpuRatioQuartiles)} per CPU second (${rounds} rounds; ${setup.description})`,
    );
  }
} finally {
  await provider.shutdown();
  await server.close();
}
