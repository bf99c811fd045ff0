import { Worker } from 'node:worker_threads';

export interface LoadResult {
  spans: number;
  elapsedMs: number;
  statuses: Record<string, number>;
  spansPerSecond: number;
}

export interface LoadOptions {
  url: string;
  /** Several collectors: requests go round-robin over them (url is then ignored). */
  urls?: string[];
  /** A batch carries the server sides of the previous batch's connections: sides join across requests. */
  serverSidesLater?: boolean;
  format: 'json' | 'protobuf';
  batches: number;
  batchSize?: number;
  concurrency?: number;
  /** Encode every batch before the clock starts (throughput runs); false encodes on the fly (long runs). */
  pregenerate?: boolean;
}

/** Runs the load generator in a worker thread and resolves with what it measured. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { batchSize: 100, concurrency: 8, pregenerate: true, ...options },
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: Omit<LoadResult, 'spansPerSecond'>) => {
      resolve({ ...result, spansPerSecond: result.spans / (result.elapsedMs / 1000) });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
