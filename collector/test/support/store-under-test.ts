import { makeTempDir, tempDatabaseOrSkip, type SkippableScope } from '@closewatch/test/harness';
import type { CollectorConfig } from '../../src/config.js';
import { startTestCollector, type TestCollector } from './test-collector.js';

export type StoreKind = 'DuckDB' | 'PostgreSQL';
export const STORE_KINDS: readonly StoreKind[] = ['DuckDB', 'PostgreSQL'];

/** A test collector that can be restarted on the same data: the DuckDB directory or the PostgreSQL database. */
export interface RestartableCollector {
  current: TestCollector;
  /** Closes the running collector and starts a new one on the same data. */
  restart(): Promise<TestCollector>;
}

/**
 * A collector on a fresh store of `kind` (a temp data directory, or a temp PostgreSQL database), or
 * null when PostgreSQL is unreachable outside CI (the test is then skipped).
 */
export async function startOn(
  kind: StoreKind,
  t: SkippableScope,
  overrides: Partial<CollectorConfig> = {},
  log?: (message: string) => void,
): Promise<RestartableCollector | null> {
  let config: Partial<CollectorConfig>;
  if (kind === 'PostgreSQL') {
    const database = await tempDatabaseOrSkip(t);
    if (!database) return null;
    config = { ...overrides, databaseUrl: database.url };
  } else {
    const dir = makeTempDir('collector');
    t.after(() => dir.remove());
    config = { ...overrides, dataDir: dir.path };
  }
  const collector: RestartableCollector = {
    current: await startTestCollector(t, config, undefined, undefined, log),
    async restart() {
      await collector.current.close();
      collector.current = await startTestCollector(t, config, undefined, undefined, log);
      return collector.current;
    },
  };
  return collector;
}
