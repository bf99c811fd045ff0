import { DEFAULT_CONFIG, startCollector, type CollectorConfig, type RunningCollector } from '@closewatch/collector';
import { makeTempDir, type CleanupScope } from '../../harness/index.js';

/** Short enough that a side whose peer never arrives is finalised within a test, long enough for both agents to flush. */
export const PIPELINE_JOIN_WINDOW_MS = 2_000;

/**
 * A real collector (startCollector, the code `closewatch start` runs) on a loopback port with a fresh
 * DuckDB data dir unless a database URL is given; a short join window and a fast sweeper. Closed after `t`.
 */
export async function startPipelineCollector(t: CleanupScope, overrides: Partial<CollectorConfig> = {}): Promise<RunningCollector> {
  const config: CollectorConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    host: '127.0.0.1',
    joinWindowMs: PIPELINE_JOIN_WINDOW_MS,
    sweepIntervalMs: 200,
    rateLimitPerSecond: 0,
    ...overrides,
  };
  if (!config.databaseUrl && !overrides.dataDir) {
    const dir = makeTempDir('pipeline-collector');
    t.after(() => dir.remove());
    config.dataDir = dir.path;
  }
  const collector = await startCollector(config, { log: function quietCollectorLog() {} });
  t.after(() => collector.close());
  return collector;
}
