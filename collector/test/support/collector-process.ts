import { fileURLToPath } from 'node:url';
import { spawnNode, type CleanupScope, type ManagedProcess } from '@closewatch/test/harness';

/** The built `closewatch` command (collector/bin/closewatch.js → dist/cli.js). */
export const CLOSEWATCH_BIN = fileURLToPath(new URL('../../bin/closewatch.js', import.meta.url));

/** Runs `closewatch <args>` as a child process (stopped after the test). */
export function runCloseWatch(args: string[], t: CleanupScope, env: Record<string, string | undefined> = {}): ManagedProcess {
  return spawnNode([CLOSEWATCH_BIN, ...args], { t, env: { CLOSEWATCH_DATA_DIR: undefined, CLOSEWATCH_DATABASE_URL: undefined, ...env } });
}

/** Starts `closewatch start` on `port` and waits until it listens. */
export async function startCollectorProcess(args: string[], t: CleanupScope, env: Record<string, string | undefined> = {}): Promise<ManagedProcess> {
  const child = runCloseWatch(['start', ...args], t, env);
  await Promise.race([
    child.waitForOutput(/listening on http/, 30_000),
    child.exited.then((exit) => {
      throw new Error(`closewatch start exited (${exit.code ?? exit.signal}): ${child.stderr()}`);
    }),
  ]);
  return child;
}
