// Sums a V8 .cpuprofile's self time by where the code lives: ws, the agent, each OpenTelemetry
// package, protobufjs, Node's own internals, GC; for the breakdown in server-cost.bench.ts --profile.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function partOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  const otel = /@opentelemetry\/([^/]+)/.exec(url);
  if (otel) return `@opentelemetry/${otel[1]}`;
  if (url.includes('protobufjs')) return 'protobufjs';
  if (url.includes('/agent/node/dist/') || url.includes('agent-node/dist')) return 'agent';
  if (url.includes('/conventions/')) return 'conventions';
  if (url.includes('/node_modules/ws/')) return 'ws';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}…`;
  if (url === '') return `native ${functionName || '(anonymous)'}`.slice(0, 40);
  return url.replace(/^.*\//, '');
}

/** Self time (ms) per part and per function, highest first. */
export function summariseProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const part = partOf(node);
    if (part === '(idle)') return;
    total += ms;
    parts.set(part, (parts.get(part) ?? 0) + ms);
    const name = `${part} ${node.callFrame.functionName || '(anonymous)'}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  });
  const lines = [`busy ${total.toFixed(0)} ms (idle left out)`, 'by part:'];
  for (const [part, ms] of [...parts].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${part}`);
  lines.push('by function:');
  for (const [name, ms] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
  return lines.join('\n');
}
