import type { CollectorConfig } from '../config.js';
import { hasAdminToken, isExposed } from '../exposure.js';

/** `GET /api/v1/config/public`: what the Setup page needs; nothing secret (browser keys are public). */
export interface PublicConfig {
  publicUrl: string;
  agentUrl: string;
  ingestKeyRequired: boolean;
  /** The first ingest key, for the browser snippet; null when no key is required. */
  browserKey: string | null;
  adminTokenRequired: boolean;
  /** Reads of the API need the admin token too. */
  readTokenRequired: boolean;
  /** Writes are refused: the collector listens beyond loopback and has no admin token. */
  writesRefused: boolean;
}

export function publicConfig(config: CollectorConfig): PublicConfig {
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  return {
    publicUrl,
    agentUrl: `${publicUrl}/agent.js`,
    ingestKeyRequired: config.ingestKeys.length > 0,
    browserKey: config.ingestKeys[0] ?? null,
    adminTokenRequired: hasAdminToken(config),
    readTokenRequired: config.readRequiresToken && hasAdminToken(config),
    writesRefused: !hasAdminToken(config) && isExposed(config),
  };
}
