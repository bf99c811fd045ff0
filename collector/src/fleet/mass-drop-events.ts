import { DEFAULT_MASS_DROP_WINDOW_MS, type CauseId, type FleetFacts, type KnownInstance } from '@closewatch/conventions';
import type { ConnectionOutcome } from '../store/store.js';
import type { FleetContext } from './mass-drop-facts.js';
import type { MassDropEvent } from './fleet-store.js';

const MASS_DROP_CAUSES = new Set<CauseId>(['server_gone', 'intermediary_dropped']);

/** The server instance a server_gone names: the one on the route that went silent last before the drop. */
function goneInstance(fleet: FleetFacts | undefined, beforeMs: number): KnownInstance | undefined {
  const silent = (fleet?.serverInstances ?? []).filter((known) => known.lastSeenMs < beforeMs);
  return silent.sort((a, b) => b.lastSeenMs - a.lastSeenMs)[0];
}

/**
 * The mass-drop event of a connection a mass-drop rule classified, or null. Its id is stable per group
 * and window slot, so the members of one drop upsert one row (or two, merged on read by mergeMassDrops).
 */
export function massDropEventOf(
  outcome: ConnectionOutcome,
  context: FleetContext | undefined,
  nowMs: number,
  windowMs = DEFAULT_MASS_DROP_WINDOW_MS,
): MassDropEvent | null {
  const drop = context?.massDrop;
  if (!drop || !MASS_DROP_CAUSES.has(outcome.cause)) return null;
  const instance = drop.group === 'server_instance' ? drop.instance : goneInstance(context.fleet, drop.firstEndMs);
  const key = drop.group === 'server_instance' ? `${instance?.service}\u0000${instance?.instance}\u0000${drop.route}` : (drop.target ?? drop.route);
  return {
    id: `${outcome.cause}:${Buffer.from(key).toString('base64url')}:${Math.floor(drop.firstEndMs / windowMs)}`,
    cause: outcome.cause as MassDropEvent['cause'],
    group: drop.group,
    route: drop.route,
    target: drop.target ?? '',
    service: instance?.service ?? '',
    instance: instance?.instance ?? '',
    connections: drop.connections,
    firstEndMs: drop.firstEndMs,
    lastEndMs: drop.lastEndMs,
    lastSeenMs: instance && Number.isFinite(instance.lastSeenMs) ? instance.lastSeenMs : null,
    detectedAtMs: nowMs,
  };
}

/** Rows of one drop (same cause, group and instance or target, overlapping within the window) as one event. */
export function mergeMassDrops(drops: readonly MassDropEvent[], windowMs = DEFAULT_MASS_DROP_WINDOW_MS): MassDropEvent[] {
  const sorted = [...drops].sort((a, b) => a.firstEndMs - b.firstEndMs);
  const merged: MassDropEvent[] = [];
  for (const drop of sorted) {
    const same = merged.find(
      (event) =>
        event.cause === drop.cause &&
        event.route === drop.route &&
        event.target === drop.target &&
        event.service === drop.service &&
        event.instance === drop.instance &&
        drop.firstEndMs <= event.lastEndMs + windowMs,
    );
    if (!same) {
      merged.push({ ...drop });
      continue;
    }
    same.connections = Math.max(same.connections, drop.connections);
    same.lastEndMs = Math.max(same.lastEndMs, drop.lastEndMs);
    same.detectedAtMs = Math.min(same.detectedAtMs, drop.detectedAtMs);
    same.lastSeenMs = same.lastSeenMs ?? drop.lastSeenMs;
  }
  return merged;
}
