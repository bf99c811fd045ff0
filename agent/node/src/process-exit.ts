import { exportState, liveConnections, type ActiveAgent } from './agent-state.js';
import { endAtProcessExit } from './connection-end.js';
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

/** Installed with the first connection, so an app that never opens one keeps its exact signal behaviour. */
export function installProcessExitHooks(agent: ActiveAgent): void {
  if (installed || agent.getConfig().handleProcessExit === false) return;
  installed = agent;
  for (const signal of SIGNALS) process.on(signal, processOnSignalRecord);
  process.on('beforeExit', processOnBeforeExitRecord);
}

export function removeProcessExitHooks(): void {
  if (!installed) return;
  installed = undefined;
  for (const signal of SIGNALS) process.removeListener(signal, processOnSignalRecord);
  process.removeListener('beforeExit', processOnBeforeExitRecord);
}
