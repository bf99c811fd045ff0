#!/usr/bin/env node
// The `closewatch-probe` command (also `closewatch probe` through the collector's CLI).
import { runProbeCommand } from '../dist/index.js';

runProbeCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`closewatch probe: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
