import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CollectorError } from '../../errors.js';

export const DUCKDB_FILE_NAME = 'closewatch.duckdb';

/**
 * `memory_limit` when none is configured. DuckDB's own default (80% of RAM) let its buffer pool keep
 * every block it read or wrote: 1M ingested spans peaked at 1.3 GB RSS. The 2M-row query bench keeps
 * its p95 far under 250 ms at this limit.
 */
export const DEFAULT_DUCKDB_MEMORY_LIMIT = '128MB';

/**
 * Settings of every embedded store. DuckDB allocates with its bundled jemalloc, which keeps freed
 * memory until a task has freed more than `allocator_flush_threshold` (default 128 MiB) or a bulk
 * free passes `allocator_bulk_deallocation_flush_threshold` (default 512 MiB): each checkpoint frees
 * ~120 MB (an uncompressed row group of the side log) that otherwise stayed in RSS. Background threads
 * purge the rest of jemalloc's retained pages. Measured with `collector/bench/ingest-memory.bench.ts`.
 */
export const DUCKDB_ALLOCATOR_SETTINGS: Readonly<Record<string, string>> = {
  allocator_flush_threshold: '8MB',
  allocator_bulk_deallocation_flush_threshold: '16MB',
  allocator_background_threads: 'true',
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
    const settings: Record<string, string> = { ...DUCKDB_ALLOCATOR_SETTINGS, memory_limit: options.memoryLimit || DEFAULT_DUCKDB_MEMORY_LIMIT };
    return { instance: await DuckDBInstance.create(path, settings), path };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CollectorError('store_unavailable', `Cannot open the DuckDB store at ${path}: ${detail}`, { cause: error });
  }
}
