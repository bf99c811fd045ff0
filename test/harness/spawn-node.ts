import { optionsWithScope, type CleanupScope, type ScopeOr } from './cleanup.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';

export interface SpawnNodeOptions {
  /** Added to (and overriding) this process's environment; an undefined value removes that variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Stops the child after the test. */
  t?: CleanupScope;
}

/** Runs `node <args>` with the current Node binary; the child is killed after the test and at process exit. */
export function spawnNode(args: string[], options?: ScopeOr<SpawnNodeOptions>): ManagedProcess {
  const { env = {}, cwd, t } = optionsWithScope(options);
  const child = spawnManaged(process.execPath, args, { cwd, env: { ...process.env, ...env } });
  t?.after(function stopNodeChild() {
    return child.stop();
  });
  return child;
}
