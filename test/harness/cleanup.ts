import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Anything with an `after(fn)` hook: a node:test TestContext, or a suite's context. */
export interface CleanupScope {
  after(fn: () => unknown): void;
}

/** A helper's options, or just the test context: `helper(t)` means `helper({ t })`. */
export type ScopeOr<O> = CleanupScope | (O & { t?: CleanupScope });

function isScope(value: unknown): value is CleanupScope {
  return typeof value === 'object' && value !== null && typeof (value as CleanupScope).after === 'function' && !('t' in value);
}

/** Normalises `helper(t)` and `helper({ t, ... })` to the options form. */
export function optionsWithScope<O extends object>(arg: ScopeOr<O> | undefined): O & { t?: CleanupScope } {
  if (isScope(arg)) return { t: arg } as O & { t?: CleanupScope };
  return (arg ?? {}) as O & { t?: CleanupScope };
}

/** Makes an async close function run once, however often and concurrently it is called. */
export function runOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return function closeOnce() {
    closing ??= close();
    return closing;
  };
}

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHooksInstalled = false;

/** Kills every child still registered; synchronous because it runs in `process.on('exit')`. */
function killLiveChildren(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // the child may be gone already
    }
  }
  liveChildren.clear();
  for (const dir of liveDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // a child killed a moment ago may still be writing into it; leave the rest to the OS temp cleaner
    }
  }
  liveDirs.clear();
}

function processOnExit(): void {
  killLiveChildren();
}

/** On SIGINT/SIGTERM: clean up, then die of the same signal as if no handler had been installed. */
function processOnSignal(signal: NodeJS.Signals): void {
  killLiveChildren();
  process.removeListener('SIGINT', processOnSignal);
  process.removeListener('SIGTERM', processOnSignal);
  process.kill(process.pid, signal);
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', processOnExit);
  process.on('SIGINT', processOnSignal);
  process.on('SIGTERM', processOnSignal);
}

/** Keeps a spawned child in the process-level registry until it exits, so a crashed test still kills it. */
export function trackChild(child: ChildProcess): void {
  installExitHooks();
  liveChildren.add(child);
  child.once('exit', function trackedChildOnExit() {
    liveChildren.delete(child);
  });
}

/** Keeps a temp dir in the process-level registry until `untrackDir`, removing it at exit otherwise. */
export function trackDir(dir: string): void {
  installExitHooks();
  liveDirs.add(dir);
}

export function untrackDir(dir: string): void {
  liveDirs.delete(dir);
}
