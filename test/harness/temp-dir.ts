import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackDir, untrackDir } from './cleanup.js';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** A fresh directory under the OS temp dir, removed at process exit if `remove` was never called. */
export function makeTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `closewatch-${prefix}-`));
  trackDir(path);
  return {
    path,
    async remove() {
      untrackDir(path);
      await rm(path, { recursive: true, force: true });
    },
  };
}
