#!/usr/bin/env node
// Runs every *.test.ts of the workspaces in one `node --test` run, after installing missing system
// tools (scripts/test-machine.mjs) and building (turbo caches builds).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prepareTestMachine } from './test-machine.mjs';

const root = new URL('..', import.meta.url).pathname;
const roots = ['agent/conventions', 'agent/browser', 'agent/node', 'probe', 'collector', 'dashboard', 'test'];
const filter = process.argv.slice(2);

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

if (!process.env.CLOSEWATCH_SKIP_SETUP) prepareTestMachine();
if (!process.env.CLOSEWATCH_SKIP_BUILD) {
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let files = roots.flatMap((r) => findTests(join(root, r), []));
if (filter.length) files = files.filter((f) => filter.some((p) => f.includes(p)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.CLOSEWATCH_TEST_CONCURRENCY ?? '2';
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=240000', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
