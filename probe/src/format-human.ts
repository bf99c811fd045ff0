import type { ProbeReport, StepStatus, StepTiming } from './report.js';
import { describeSteps } from './format-steps.js';
import { formatDuration } from './duration.js';
import type { Style } from './style.js';

const NAME_WIDTH = 8;
const TIME_WIDTH = 11;
const WRAP_AT = 100;
const LABEL_WIDTH = 12;

/** The compact human report: one aligned line per step with its timing, then the verdict block. */
export function formatHumanReport(report: ProbeReport, style: Style): string {
  const out = [style.bold(`closewatch probe ${report.url}`), ''];
  const indent = ' '.repeat(2 + NAME_WIDTH + TIME_WIDTH + 2);
  for (const { name, lines } of describeSteps(report.steps)) {
    const step: StepTiming = report.steps[name];
    const [first, ...rest] = lines;
    out.push(`  ${name.padEnd(NAME_WIDTH)}${stepTime(step).padStart(TIME_WIDTH)}  ${markStatus(step.status, first ?? '', style)}`);
    for (const line of rest) out.push(`${indent}${line}`);
  }
  out.push('');
  out.push(...verdictBlock(report, style));
  for (const note of report.notes) out.push(...labelled('note', note));
  out.push('', `exit ${report.exitCode}`);
  return `${out.join('\n')}\n`;
}

function stepTime(step: StepTiming): string {
  if (step.status === 'skipped') return 'skipped';
  if (step.status === 'not_reached' || step.durationMs === null) return '-';
  return formatDuration(step.durationMs);
}

function markStatus(status: StepStatus, text: string, style: Style): string {
  if (status === 'failed') return style.bad(text);
  if (status === 'skipped' || status === 'not_reached') return style.dim(text);
  return text;
}

function verdictBlock(report: ProbeReport, style: Style): string[] {
  const { verdict } = report;
  const badge = verdict.ok ? style.good('OK') : style.bad('PROBLEM');
  const heading = verdict.cause === null ? verdict.title : `${verdict.cause}: ${verdict.title}`;
  const lines = [`${style.bold('verdict'.padEnd(LABEL_WIDTH))}${badge}  ${style.bold(heading)}`];
  verdict.evidence.forEach((fact, index) => lines.push(...labelled(index === 0 ? 'evidence' : '', fact)));
  lines.push(...labelled('why', verdict.explanation));
  lines.push(...labelled('fix', verdict.remediation));
  return lines;
}

/** `  label     text` with the text wrapped under itself. */
function labelled(label: string, text: string): string[] {
  const lead = `  ${label.padEnd(LABEL_WIDTH - 2)}`;
  const pad = ' '.repeat(lead.length);
  return wrap(text, WRAP_AT - lead.length).map((line, index) => (index === 0 ? lead : pad) + line);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}
