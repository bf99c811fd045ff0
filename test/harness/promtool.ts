import { spawn } from 'node:child_process';

export const promtoolPath = process.env.CLOSEWATCH_PROMTOOL ?? '/usr/bin/promtool';

export interface PromtoolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `promtool <args>`, writing `input` to its stdin (e.g. for `check metrics`), and collects its output. */
export function promtool(args: string[], input?: string | Buffer, { timeoutMs = 30_000 } = {}): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtoolPath, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', function promtoolOnStdout(chunk: string) {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', function promtoolOnStderr(chunk: string) {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', function promtoolOnClose(code) {
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', function promtoolStdinOnError() {});
    child.stdin.end(input ?? '');
  });
}
