import type { KnownInstance } from '../fleet-facts.js';

/** Names listed in one sentence before "and N more". */
const LISTED = 3;

/** `2026-12-07T14:05:03.120Z`: an instant on the collector's clock. */
export function instant(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'an unknown time';
}

/** `instance 7f3a… of service chat`, or the service alone when its agent sent no instance id. */
export function instanceName(known: KnownInstance): string {
  return known.instance === '' ? `service ${known.service} (no service.instance.id)` : `instance ${known.instance} of service ${known.service}`;
}

/** `a, b, c and 2 more`. */
export function listed(names: string[]): string {
  if (names.length <= 1) return names.join('');
  const shown = names.slice(0, LISTED);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Instances whose last span arrived before `timeMs`, and those that reported at or after it. */
export function splitBySilence(instances: readonly KnownInstance[], timeMs: number): { silent: KnownInstance[]; reporting: KnownInstance[] } {
  const silent: KnownInstance[] = [];
  const reporting: KnownInstance[] = [];
  for (const known of instances) (known.lastSeenMs < timeMs ? silent : reporting).push(known);
  return { silent, reporting };
}

/** `instance X of service Y (serving /ws) stopped reporting: its last span arrived at T, before …`. */
export function stoppedReporting(known: KnownInstance, before: string, route?: string): string {
  const serving = route === undefined ? '' : ` (serving ${route})`;
  return `${instanceName(known)}${serving} stopped reporting: its last span arrived at ${instant(known.lastSeenMs)}, ${before}`;
}

/** `service Y reports from other instances (A, B; last span at T)`, one sentence per service. */
export function otherInstancesReport(reporting: readonly KnownInstance[], other: string): string[] {
  const byService = new Map<string, KnownInstance[]>();
  for (const known of reporting) byService.set(known.service, [...(byService.get(known.service) ?? []), known]);
  return [...byService].map(([service, instances]) => {
    const latest = Math.max(...instances.map((known) => known.lastSeenMs));
    const ids = instances.map((known) => known.instance || '(no instance id)');
    return `service ${service} reports from ${other} (${listed(ids)}; last span at ${instant(latest)})`;
  });
}
