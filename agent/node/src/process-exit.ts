import { exportState, liveConnections, type ActiveAgent } from './agent-state.js';
import { endAtProcessExit } from './connection-end.js';
import { sendUnsentSpansSync } from './exit-send.js';
import { flushSpans } from './flush-spans.js';

const DEFAULT_EXIT_FLUSH_TIMEOUT_MS = 2000;
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

let installed: ActiveAgent | undefined;
let exiting = false;

function flushTimeout(): number {
  return installed?.getConfig().exitFlushTimeoutMs ?? DEFAULT_EXIT_FLUSH_TIMEOUT_MS;
}

/** Ends every open span as `process_exit`; the process is going away with them. */
export function endOpenConnectionsAtExit(): void {
  for (const record of [...liveConnections]) endAtProcessExit(record);
}

/**
 * SIGTERM/SIGINT with no other listener: the process would die at once, so end and export the open
 * spans (bounded), then die of the same signal. An app with its own listener decides when to exit.
 */
function processOnSignalRecord(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  if (exiting) {
    // A second Ctrl-C while exporting: stop waiting.
    dieOfSignal(signal);
    return;
  }
  exiting = true;
  endOpenConnectionsAtExit();
  void flushSpans(flushTimeout()).finally(() => dieOfSignal(signal));
}

function dieOfSignal(signal: NodeJS.Signals): void {
  for (const name of SIGNALS) process.removeListener(name, processOnSignalRecord);
  process.kill(process.pid, signal);
}

/** The event loop ran dry: export what ended since the last export (once, or beforeExit would loop). */
function processOnBeforeExitRecord(): void {
  if (liveConnections.size > 0) endOpenConnectionsAtExit();
  if (!exportState.spansSinceFlush) return;
  void flushSpans(flushTimeout());
}

/**
 * `process.exit()` (a handler calling it, an uncaught exception): nothing asynchronous runs any more,
 * so the open spans end as `process_exit` and every ended but unsent span is posted synchronously
 * (docs/design.md, "Spans at process exit"). A no-op after a signal or beforeExit export.
 */
function processOnExitRecord(): void {
  try {
    if (liveConnections.size > 0) endOpenConnectionsAtExit();
    sendUnsentSpansSync(flushTimeout());
  } catch {
    // The process is exiting anyway: never add an error of ours to its way out.
  }
}

/** Installed with the first connection, so an app that never opens one keeps its exact signal behaviour. */
export function installProcessExitHooks(agent: ActiveAgent): void {
  if (installed || agent.getConfig().handleProcessExit === false) return;
  installed = agent;
  for (const signal of SIGNALS) process.on(signal, processOnSignalRecord);
  process.on('beforeExit', processOnBeforeExitRecord);
  process.on('exit', processOnExitRecord);
}

export function removeProcessExitHooks(): void {
  if (!installed) return;
  installed = undefined;
  for (const signal of SIGNALS) process.removeListener(signal, processOnSignalRecord);
  process.removeListener('beforeExit', processOnBeforeExitRecord);
  process.removeListener('exit', processOnExitRecord);
}
