import type { PublicConfig } from '@closewatch/conventions';
import type { CollectorConfig } from '../config.js';
import { hasAdminToken, isExposed } from '../exposure.js';

/** `GET /api/v1/config/public`: what the Setup page needs; nothing secret (browser keys are public). */
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
