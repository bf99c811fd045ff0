import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';

export const DUCKDB_FILE_NAME = 'closewatch.duckdb';

/**
 * `memory_limit` when none is configured. With DuckDB's own default (80% of RAM) its buffer pool kept
 * the blocks it wrote and checkpoints grew with it: 1M ingested spans peaked at ~1.1–1.3 GB RSS, ~580 MB
 * at this limit (`bench/ingest-memory.bench.ts`). The 2M-row query bench keeps p95 ≤ 22 ms at it.
 */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '128MB';

/**
 * DuckDB's allocator (jemalloc) keeps freed memory for reuse up to a threshold (128MB by default) past
 * `memory_limit`: its loads of final rows free megabytes at a time. Returning it past 4 MB took ~30–50 MB
 * off the collector's peak RSS ingesting 1M spans (`bench/ingest-memory.bench.ts`).
 */
const ALLOCATOR_SETTINGS = {
  allocator_flush_threshold: '4MB',
  allocator_bulk_deallocation_flush_threshold: '4MB',
};

export interface DuckDbFileOptions {
  /** DuckDB `memory_limit` (e.g. "256MB"); null or absent: `DEFAULT_DUCKDB_MEMORY_LIMIT`. */
  memoryLimit?: string | null;
}

/** Creates the data directory and opens the database file, naming the path in any failure. */
export async function openDuckDbFile(dataDir: string, options: DuckDbFileOptions = {}): Promise<{ instance: DuckDBInstance; path: string }> {
  const path = resolve(join(dataDir, DUCKDB_FILE_NAME));
  try {
    await mkdir(resolve(dataDir), { recursive: true });
    const settings: Record<string, string> = { memory_limit: options.memoryLimit || DEFAULT_DUCKDB_MEMORY_LIMIT, ...ALLOCATOR_SETTINGS };
    return { instance: await DuckDBInstance.create(path, settings), path };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CollectorError('store_unavailable', `Cannot open the DuckDB store at ${path}: ${detail}`, { cause: error });
  }
}
