import { addressKind } from './address-ranges.js';
import type { CollectorConfig } from './config.js';

/**
 * Whether a bind address is reachable from this machine only: a loopback address or `localhost`.
 * Any other name counts as exposed: what it resolves to is not ours to guess.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase();
  return bare === 'localhost' || addressKind(bare) === 'loopback';
}

/** The collector listens beyond loopback: writes need a token, loopback alert targets are refused. */
export function isExposed(config: Pick<CollectorConfig, 'host'>): boolean {
  return !isLoopbackHost(config.host);
}

export function hasAdminToken(config: Pick<CollectorConfig, 'adminToken'>): boolean {
  return config.adminToken !== null && config.adminToken !== '';
}
