import { constants } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StartupError } from './startup-error.js';

/** Creates the data directory if needed and proves it is writable, so the user sees the path and the reason. */
export async function ensureWritableDataDir(dataDir: string): Promise<string> {
  const path = resolve(dataDir);
  try {
    await mkdir(path, { recursive: true });
    await access(path, constants.W_OK);
    const probe = join(path, `.write-check-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new StartupError(`the data directory ${path} is not writable (${code}); choose another with --data-dir or CLOSEWATCH_DATA_DIR`);
  }
  return path;
}
