#!/usr/bin/env node
// Runs every bench/*.bench.ts of the workspaces, one after another (each prints its ratios).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = ['agent/node', 'agent/browser', 'collector', 'dashboard'];
const filter = process.argv.slice(2);
const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
let failed = 0;
for (const dir of dirs) {
  const benchDir = join(root, dir, 'bench');
  if (!existsSync(benchDir)) continue;
  for (const name of readdirSync(benchDir).filter((n) => n.endsWith('.bench.ts')).sort()) {
    const file = join(dir, 'bench', name);
    if (filter.length && !filter.some((p) => file.includes(p))) continue;
    console.log(`\n=== ${file}`);
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
