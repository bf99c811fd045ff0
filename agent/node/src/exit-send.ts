import { Worker } from 'node:worker_threads';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { OtlpTarget } from './otlp-target.js';
import type { UnsentSpans } from './unsent-spans.js';

/** What the exit sender worker gets. */
export interface ExitSend {
  url: string;
  headers: Record<string, string>;
  contentType: string;
  body: Uint8Array;
  /** Int32 slot the worker sets to 1 (accepted), 2 (refused) or 3 (failed) when done. */
  done: SharedArrayBuffer;
  timeoutMs: number;
}

/** How the last exit send ended, for tests and diagnostics. */
export type ExitSendOutcome = 'nothing' | 'accepted' | 'refused' | 'failed' | 'timed_out';

let source: { unsent: UnsentSpans; target: OtlpTarget } | undefined;

/** The SDK the agent started keeps its unsent spans here; an app's own tracer provider has none. */
export function setExitSendSource(unsent: UnsentSpans | undefined, target?: OtlpTarget): void {
  source = unsent && target ? { unsent, target } : undefined;
}

const OUTCOMES: ExitSendOutcome[] = ['timed_out', 'accepted', 'refused', 'failed'];

/**
 * At `exit` only synchronous code runs: serialise every ended but unsent span, post it from a worker
 * thread and block this thread on `Atomics.wait` until the worker is done or `timeoutMs` passed.
 * The worker starts only here, so a process that never exits this way pays nothing for it.
 */
export function sendUnsentSpansSync(timeoutMs: number): ExitSendOutcome {
  if (!source || source.unsent.size === 0) return 'nothing';
  const { unsent, target } = source;
  const spans = unsent.takeAll();
  const json = target.protocol === 'http/json';
  const body = (json ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans);
  if (!body) return 'failed';
  const done = new SharedArrayBuffer(4);
  const send: ExitSend = {
    url: target.url,
    headers: target.headers,
    contentType: json ? 'application/json' : 'application/x-protobuf',
    body,
    done,
    timeoutMs,
  };
  // No preload in the worker: `--import register` there would start a second agent.
  const worker = new Worker(new URL('./exit-sender.js', import.meta.url), { workerData: send, execArgv: [], stdout: true, stderr: true });
  worker.unref();
  const slot = new Int32Array(done);
  Atomics.wait(slot, 0, 0, timeoutMs);
  return OUTCOMES[Atomics.load(slot, 0)] ?? 'failed';
}
