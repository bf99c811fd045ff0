import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built dashboard (`dashboard/dist`), found through the `@closewatch/dashboard` package; null when not built. */
export function dashboardDistDir(): string | null {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('@closewatch/dashboard/package.json');
  } catch {
    return null;
  }
  const dist = join(dirname(packageJson), 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : null;
}
