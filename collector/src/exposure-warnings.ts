import type { CollectorConfig } from './config.js';
import { hasAdminToken, isExposed } from './exposure.js';

/**
 * What a collector listening beyond loopback leaves open, one line each naming the setting that closes
 * it; nothing on loopback, where only this machine can reach it.
 */
export function exposureWarnings(config: CollectorConfig, port: number): string[] {
  if (!isExposed(config)) return [];
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const where = wildcard ? `port ${port} on any address of this machine` : `${config.host}:${port}`;
  const warnings: string[] = [];
  if (!hasAdminToken(config)) {
    warnings.push(
      'alert rule writes are refused: no admin token is set; set CLOSEWATCH_ADMIN_TOKEN (e.g. to the output of `openssl rand -hex 32`) to allow them for whoever holds it',
    );
  }
  if (!config.readRequiresToken) {
    warnings.push(
      `reads are open to anyone who can reach ${where}: connection records (URLs, client addresses) and alert rules in /api/v1; set CLOSEWATCH_READ_REQUIRES_TOKEN=true (with CLOSEWATCH_ADMIN_TOKEN) to require the token (/metrics stays open for Prometheus)`,
    );
  }
  if (config.ingestKeys.length === 0) {
    warnings.push(`ingest takes spans without a key from anyone who can reach ${where}; set CLOSEWATCH_INGEST_KEYS`);
  }
  if (config.allowedOrigins.length === 0) {
    warnings.push("pages on any origin may send spans from their visitors' browsers; set CLOSEWATCH_ALLOWED_ORIGINS to your sites' origins");
  }
  return warnings;
}
