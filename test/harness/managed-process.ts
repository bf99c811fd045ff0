import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { trackChild } from './cleanup.js';
import { StopWaiting, waitFor } from './wait-for.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned child that records its output, is killed if this process dies, and stops with `stop()`. */
export interface ManagedProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the child wrote to stdout so far. */
  stdout(): string;
  /** Everything the child wrote to stderr so far. */
  stderr(): string;
  /** Resolves when the child has exited, never rejects. */
  exited: Promise<ProcessExit>;
  isRunning(this: void): boolean;
  /** Sends a signal (default SIGTERM); does not wait. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves once stdout or stderr contains `pattern`. */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal`, escalates to SIGKILL after `graceMs`, and resolves once the child is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<ProcessExit>;
}

/**
 * Starts a sidecar shell that kills `pid` when its stdin closes: the pipe closes when this process
 * dies by any means (even SIGKILL), where no exit handler would run.
 */
function spawnOrphanGuard(pid: number): ChildProcess {
  const guard = spawn('/bin/sh', ['-c', 'read _ignored; kill -KILL "$1" 2>/dev/null', 'closewatch-orphan-guard', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  guard.unref();
  (guard.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  guard.on('error', function orphanGuardOnError() {});
  return guard;
}

export function spawnManaged(command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  let running = true;
  child.stdout?.setEncoding('utf8').on('data', function childOnStdout(chunk: string) {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', function childOnStderr(chunk: string) {
    stderr += chunk;
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', function childOnSpawnError(error) {
      stderr += `\n[spawn error] ${error.message}`;
      running = false;
      resolve({ code: null, signal: null });
    });
    child.once('exit', function childOnExit(code, signal) {
      running = false;
      // Output may still sit in the pipes: wait for them to drain, unless a grandchild holds them open.
      const drainLimit = setTimeout(() => resolve({ code, signal }), 500);
      child.once('close', function childOnOutputClosed() {
        clearTimeout(drainLimit);
        resolve({ code, signal });
      });
    });
  });
  if (child.pid === undefined) running = false;
  else {
    trackChild(child);
    const guard = spawnOrphanGuard(child.pid);
    void exited.then(function stopOrphanGuard() {
      guard.kill('SIGKILL');
    });
  }

  function kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (running) child.kill(signal);
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<ProcessExit> {
    kill(signal);
    const escalate = setTimeout(() => kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(escalate);
    }
  }

  async function waitForOutput(pattern: string | RegExp, timeoutMs = 30_000): Promise<void> {
    function matches(text: string): boolean {
      if (typeof pattern === 'string') return text.includes(pattern);
      pattern.lastIndex = 0;
      return pattern.test(text);
    }
    function outputMatches(): boolean {
      if (matches(stdout) || matches(stderr)) return true;
      if (!running) throw new StopWaiting(`process exited before printing ${String(pattern)}; stderr: ${stderr.slice(-2000)}`);
      return false;
    }
    await waitFor(outputMatches, { timeoutMs, message: `output matching ${String(pattern)}` });
  }

  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    isRunning: () => running,
    kill,
    waitForOutput,
    stop,
  };
}
