#!/usr/bin/env node
// The `closewatch` command: runs the built CLI (collector/dist/cli.js).
import { runCli } from '../dist/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`closewatch: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
