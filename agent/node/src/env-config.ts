import type { WsInstrumentationConfig } from './types.js';

/**
 * Options the `register` entry reads from the environment (it has no other way to be configured):
 * `CLOSEWATCH_CAPTURE_HTTP_UPGRADES=false` for a Node gateway that only forwards upgrades, so it
 * neither records them nor strips `__cw` before passing them on.
 */
export function configFromEnv(env: Record<string, string | undefined>): WsInstrumentationConfig {
  const capture = env.CLOSEWATCH_CAPTURE_HTTP_UPGRADES?.trim().toLowerCase();
  return capture === 'false' || capture === '0' ? { captureHttpUpgrades: false } : {};
}
