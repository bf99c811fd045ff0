import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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

/**
 * The agent's own export queue (otlp/span-queue.ts): hands over every unsent span as one ready
 * OTLP/protobuf ExportTraceServiceRequest body, or undefined when there is none.
 */
export interface UnsentRequestSource {
  takeUnsentRequest(): Uint8Array | undefined;
}

let source: { unsent: UnsentSpans | UnsentRequestSource; target: OtlpTarget } | undefined;

/**
 * Where the `exit` hook finds the spans not sent yet: the SDK's `UnsentSpans` (serialised here in the
 * target's protocol) or the agent's own queue (always protobuf). An app's own tracer provider has none.
 */
export function setExitSendSource(unsent: UnsentSpans | UnsentRequestSource | undefined, target?: OtlpTarget): void {
  source = unsent && target ? { unsent, target } : undefined;
}

function isRequestSource(unsent: UnsentSpans | UnsentRequestSource): unsent is UnsentRequestSource {
  return typeof (unsent as Partial<UnsentRequestSource>).takeUnsentRequest === 'function';
}

/** The body and its media type; undefined when nothing is unsent, null when the spans could not be serialised. */
function takeExitBody(unsent: UnsentSpans | UnsentRequestSource, target: OtlpTarget): { body: Uint8Array; contentType: string } | undefined | null {
  if (isRequestSource(unsent)) {
    const body = unsent.takeUnsentRequest();
    return body ? { body, contentType: 'application/x-protobuf' } : undefined;
  }
  if (unsent.size === 0) return undefined;
  // The SDK path's serialisers, required only then: the agent's own queue hands over a ready body.
  const { JsonTraceSerializer, ProtobufTraceSerializer } = createRequire(import.meta.url)(
    '@opentelemetry/otlp-transformer',
  ) as typeof import('@opentelemetry/otlp-transformer');
  const json = target.protocol === 'http/json';
  const body = (json ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(unsent.takeAll());
  return body ? { body, contentType: json ? 'application/json' : 'application/x-protobuf' } : null;
}

const OUTCOMES: ExitSendOutcome[] = ['timed_out', 'accepted', 'refused', 'failed'];

/**
 * At `exit` only synchronous code runs: serialise every ended but unsent span, post it from a worker
 * thread and block this thread on `Atomics.wait` until the worker is done or `timeoutMs` passed.
 * The worker starts only here, so a process that never exits this way pays nothing for it.
 */
export function sendUnsentSpansSync(timeoutMs: number): ExitSendOutcome {
  if (!source) return 'nothing';
  const { unsent, target } = source;
  const taken = takeExitBody(unsent, target);
  if (taken === undefined) return 'nothing';
  if (taken === null) return 'failed';
  const done = new SharedArrayBuffer(4);
  const send: ExitSend = { url: target.url, headers: target.headers, contentType: taken.contentType, body: taken.body, done, timeoutMs };
  // No preload in the worker: `--import register` there would start a second agent.
  const worker = new Worker(new URL('./exit-sender.js', import.meta.url), { workerData: send, execArgv: [], stdout: true, stderr: true });
  worker.unref();
  const slot = new Int32Array(done);
  Atomics.wait(slot, 0, 0, timeoutMs);
  return OUTCOMES[Atomics.load(slot, 0)] ?? 'failed';
}
