import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';

export const DUCKDB_FILE_NAME = 'closewatch.duckdb';

export interface DuckDbFileOptions {
  /** DuckDB `memory_limit` (e.g. "256MB"); null keeps DuckDB's default (80% of RAM). */
  memoryLimit?: string | null;
}

/** Creates the data directory and opens the database file, naming the path in any failure. */
export async function openDuckDbFile(dataDir: string, options: DuckDbFileOptions = {}): Promise<{ instance: DuckDBInstance; path: string }> {
  const path = resolve(join(dataDir, DUCKDB_FILE_NAME));
  try {
    await mkdir(resolve(dataDir), { recursive: true });
    const settings: Record<string, string> = options.memoryLimit ? { memory_limit: options.memoryLimit } : {};
    return { instance: await DuckDBInstance.create(path, settings), path };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CollectorError('store_unavailable', `Cannot open the DuckDB store at ${path}: ${detail}`, { cause: error });
  }
}
