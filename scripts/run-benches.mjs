#!/usr/bin/env node
// `npm run bench [-- --quick] [path-substring …]`: runs every <workspace>/bench/*.bench.ts one after
// another, collects the figures each prints (one `CLOSEWATCH_BENCH_FIGURE {json}` line per figure) and,
// when no filter is given, writes bench/REPORT.md. Protocol: bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
/** What test/harness/bench-figure.ts prints before each figure's JSON. */
const FIGURE_PREFIX = 'CLOSEWATCH_BENCH_FIGURE ';
/** What --quick promises per bench. */
const QUICK_LIMIT_S = 60;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filter = args.filter((arg) => !arg.startsWith('--'));
const reportPath = join(root, 'bench', 'REPORT.md');

/** Every bench by convention: a workspace's bench/*.bench.ts, in workspace order. */
function findBenches() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const files = [];
  for (const workspace of workspaces) {
    const dir = join(root, workspace, 'bench');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.bench.ts'))
      .sort())
      files.push(join(workspace, 'bench', name));
  }
  return files.filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)));
}

function machine() {
  const [first] = cpus();
  return {
    cpu: first?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'unknown',
  };
}

/** Runs one bench, echoing its output, and returns its figures, exit status and duration. */
function runBench(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const env = { ...process.env, ...(quick ? { CLOSEWATCH_BENCH_QUICK: '1' } : {}) };
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const figures = [];
    const lines = [];
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', function collectFigures(chunk) {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        if (line.startsWith(FIGURE_PREFIX)) {
          try {
            figures.push(JSON.parse(line.slice(FIGURE_PREFIX.length)));
          } catch (error) {
            lines.push(`unreadable figure line: ${error.message}`);
          }
          continue;
        }
        lines.push(line);
        console.log(line);
      }
    });
    const errors = [];
    child.stderr.setEncoding('utf8').on('data', function echoErrors(chunk) {
      process.stderr.write(chunk);
      errors.push(...chunk.split('\n').filter((line) => line.trim()));
      errors.splice(0, Math.max(0, errors.length - 20));
    });
    child.on('close', function benchDone(code, signal) {
      if (pending) lines.push(pending);
      // A bench that failed is told by its error (stderr); one that printed no figures, by its last lines.
      const said =
        code !== 0 && errors.length > 0
          ? errors
              .filter((line) => /Error|error:/.test(line))
              .slice(0, 1)
              .concat(errors.slice(-1))
          : lines;
      resolve({ file, figures, code, signal, seconds: (Date.now() - started) / 1000, tail: said.filter((line) => line.trim()).slice(-3) });
    });
  });
}

function isMet(figure) {
  const { target } = figure;
  if (!target) return null;
  const holds = (measured, bound) => (target.op === '>=' ? measured >= bound : measured <= bound);
  const checks = [];
  if (target.ratio !== undefined) checks.push(holds(figure.ratio, target.ratio));
  if (target.value !== undefined && figure.value !== undefined) checks.push(holds(figure.value, target.value));
  return checks.length === 0 ? null : checks.every(Boolean);
}

function number(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function withUnit(value, unit) {
  return value === undefined ? '—' : `${number(value)}${unit ? ` ${unit}` : ''}`;
}

function targetText(figure) {
  const { target } = figure;
  if (!target) return 'none set';
  const op = target.op === '>=' ? '≥' : '≤';
  const parts = [];
  if (target.ratio !== undefined) parts.push(`ratio ${op} ${target.ratio}`);
  if (target.value !== undefined) parts.push(`${op} ${withUnit(target.value, figure.unit)}`);
  return parts.join(' and ');
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function report(results, host, loadStart, loadEnd, startedAt) {
  const load = (values) => values.map((value) => value.toFixed(2)).join(' / ');
  const figures = results.flatMap((result) => result.figures.map((figure) => ({ ...figure, file: result.file })));
  const met = figures.map(isMet);
  const lines = [
    '# Benchmark report',
    '',
    `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` (scripts/run-benches.mjs; protocol in bench/README.md) on ${startedAt.toISOString()}, commit ${host.commit}.`,
    quick ? '**Quick mode**: smaller runs for a first look (each bench under a minute); the sizes are in the figure names and notes.' : 'Full runs.',
    '',
    '## Machine',
    '',
    `- CPU: ${host.cpu}, ${host.cores} cores; memory ${host.memoryGb.toFixed(1)} GB; Node ${host.node}`,
    `- load average (1 / 5 / 15 min) at start: ${load(loadStart)}; at end: ${load(loadEnd)}`,
    Math.max(loadStart[0], loadEnd[0]) > host.cores
      ? `- **the machine was loaded** (load average above its ${host.cores} cores): the figures carry other work's noise and the durations are longer than on a quiet machine; ratios to a baseline measured in the same run move less than absolute numbers, but spread`
      : '- the machine was quiet (load average under the core count)',
    '',
    '## Figures',
    '',
    `${figures.length} figures, ${met.filter((m) => m === true).length} targets met, ${met.filter((m) => m === false).length} not met, ${met.filter((m) => m === null).length} without a target.`,
    '',
    '| bench | figure | measured | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...figures.map((figure, index) => {
      const baseline =
        figure.baseline === undefined ? (figure.baselineLabel ?? '—') : `${withUnit(figure.baseline, figure.unit)} (${figure.baselineLabel ?? 'baseline'})`;
      const verdict = met[index] === null ? '—' : met[index] ? 'yes' : '**no**';
      const name = figure.note ? `${figure.name} — ${figure.note}` : figure.name;
      return `| ${cell(figure.file.replace(/\/bench\//, ' ').replace(/\.bench\.ts$/, ''))} | ${cell(name)} | ${withUnit(figure.value, figure.unit)} | ${cell(baseline)} | ${number(figure.ratio)}× | ${targetText(figure)} | ${verdict} |`;
    }),
    '',
    '## Runs',
    '',
    '| bench | exit | seconds | figures |',
    '|---|---|---|---|',
    ...results.map((result) => {
      const exit = result.signal ?? String(result.code);
      const slow = quick && result.seconds > QUICK_LIMIT_S ? ` (over the ${QUICK_LIMIT_S} s of --quick)` : '';
      const figuresText =
        result.figures.length > 0 ? String(result.figures.length) : `none printed; its last lines: ${cell(result.tail.join(' / ') || '(no output)')}`;
      return `| ${result.file} | ${exit} | ${result.seconds.toFixed(0)}${slow} | ${figuresText} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const benches = findBenches();
if (benches.length === 0) {
  console.error(`no bench matches ${filter.join(' ')}`);
  process.exit(1);
}
const startedAt = new Date();
const loadStart = loadavg();
const results = [];
for (const file of benches) {
  console.log(`\n=== ${file}${quick ? ' (quick)' : ''}`);
  results.push(await runBench(file));
}
const loadEnd = loadavg();
const text = report(results, machine(), loadStart, loadEnd, startedAt);
if (filter.length === 0) {
  writeFileSync(reportPath, text);
  console.log(`\nwrote ${reportPath}`);
} else {
  console.log(`\n${text}`);
}
process.exit(results.some((result) => result.code !== 0) ? 1 : 0);
