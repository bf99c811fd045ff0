import {
  DEFAULT_MASS_DROP_WINDOW_MS,
  sideEndedAbruptly,
  type ClassifyInput,
  type ClassifyOptions,
  type FleetFacts,
  type KnownInstance,
  type MassDropFacts,
} from '@closewatch/conventions';
import { toConnectionSide } from '../join/classifier-input.js';
import { ownClockOffsetMs } from '../join/collector-time.js';
import type { ConnectionRecord, StoredSide } from '../store/store.js';
import { clientTarget, sideInstance, sideRoute } from './side-sightings.js';
import { MAX_ABRUPT_ENDS_READ, type AbruptEnd, type AgentSighting, type Fleet } from './fleet-store.js';

/** The agents list is read at most this often per store (a finalise batch of server-only rows would read it each time). */
export const AGENTS_READ_INTERVAL_MS = 1_000;

const agentReads = new WeakMap<Fleet, { atMs: number; agents: Promise<AgentSighting[]> }>();

/** Drops the cached list: this process just wrote sightings (other instances' show within the interval). */
export function forgetAgents(fleet: Fleet): void {
  agentReads.delete(fleet);
}

/** The store's agents, read again once AGENTS_READ_INTERVAL_MS passed (a failed read is not kept). */
function knownAgents(fleet: Fleet): Promise<AgentSighting[]> {
  const nowMs = Date.now();
  const cached = agentReads.get(fleet);
  if (cached && nowMs - cached.atMs < AGENTS_READ_INTERVAL_MS) return cached.agents;
  const agents = fleet.listAgents();
  agentReads.set(fleet, { atMs: nowMs, agents });
  agents.catch(() => agentReads.delete(fleet));
  return agents;
}

/** What classifyClose gets beside a record's sides (docs/design.md "Agents known", "Mass drops"). */
export type FleetContext = Pick<ClassifyInput, 'fleet' | 'massDrop'>;

type Pending = Pick<ConnectionRecord, 'id' | 'client' | 'server'>;

/** The side's end on the collector's clock, as its abrupt end was recorded (`side-sightings.ts`). */
function endOf(side: StoredSide): number {
  return side.endTimeMs - ownClockOffsetMs(side);
}

function abrupt(side: StoredSide | null): side is StoredSide {
  return side !== null && sideEndedAbruptly(side.side, toConnectionSide(side));
}

/** Which records need fleet facts (a client alone) or a mass-drop group (an abrupt end). */
function needs(record: Pending): { fleet: boolean; drop: boolean } {
  const clientAlone = record.client !== null && record.server === null;
  return { fleet: clientAlone || (record.server !== null && record.client === null), drop: abrupt(record.server) || (clientAlone && abrupt(record.client)) };
}

function known(agent: AgentSighting): KnownInstance {
  return { service: agent.service, instance: agent.instance, lastSeenMs: agent.lastSeenMs };
}

/** One entry per service instance (its latest sighting on the route). */
function instancesOn(agents: readonly AgentSighting[], side: 'client' | 'server', route: string): KnownInstance[] {
  const byInstance = new Map<string, KnownInstance>();
  for (const agent of agents) {
    if (agent.side !== side || agent.route !== route) continue;
    const key = `${agent.service}\u0000${agent.instance}`;
    const previous = byInstance.get(key);
    if (!previous || previous.lastSeenMs < agent.lastSeenMs) byInstance.set(key, known(agent));
  }
  return [...byInstance.values()];
}

/** The latest sighting of a server instance on any route (its last span, whatever the route). */
function instanceLastSeen(agents: readonly AgentSighting[], service: string, instance: string): number {
  let last = Number.NaN;
  for (const agent of agents) {
    if (agent.side === 'server' && agent.service === service && agent.instance === instance && !(agent.lastSeenMs <= last)) last = agent.lastSeenMs;
  }
  return last;
}

/** Of ends sorted by time, the window of `windowMs` holding `atMs` with the most ends (this one alone when none holds it). */
function densestWindow(times: number[], atMs: number, windowMs: number): { count: number; first: number; last: number } {
  let best = { count: 1, first: atMs, last: atMs };
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end] - times[start] > windowMs) start++;
    const first = times[start];
    const last = times[end];
    if (first <= atMs && atMs <= last && end - start + 1 > best.count) best = { count: end - start + 1, first, last };
  }
  return best;
}

function serverGroup(ends: readonly AbruptEnd[], server: StoredSide, endMs: number, windowMs: number, agents: readonly AgentSighting[]): MassDropFacts {
  const instance = sideInstance(server);
  const route = sideRoute(server);
  const times = ends
    .filter((end) => end.side === 'server' && end.service === server.service && end.instance === instance && end.route === route)
    .map((end) => end.endTimeMs)
    .sort((a, b) => a - b);
  const window = densestWindow(times, endMs, windowMs);
  return {
    group: 'server_instance',
    route,
    instance: { service: server.service, instance, lastSeenMs: instanceLastSeen(agents, server.service, instance) },
    connections: window.count,
    firstEndMs: window.first,
    lastEndMs: window.last,
    withServerSide: window.count,
  };
}

function clientGroup(ends: readonly AbruptEnd[], client: StoredSide, endMs: number, windowMs: number): MassDropFacts {
  const route = sideRoute(client);
  const target = clientTarget(client, route);
  const serverEnds = new Set(ends.filter((end) => end.side === 'server').map((end) => end.connectionId));
  const group = ends.filter((end) => end.side === 'client' && end.target === target).sort((a, b) => a.endTimeMs - b.endTimeMs);
  const window = densestWindow(
    group.map((end) => end.endTimeMs),
    endMs,
    windowMs,
  );
  const inWindow = group.filter((end) => end.endTimeMs >= window.first && end.endTimeMs <= window.last);
  return {
    group: 'client_target',
    route,
    target,
    connections: window.count,
    firstEndMs: window.first,
    lastEndMs: window.last,
    withServerSide: inWindow.filter((end) => serverEnds.has(end.connectionId)).length,
  };
}

/**
 * Fleet facts and mass-drop groups for the records about to be classified, read from the store's fleet
 * once per batch. A record that needs neither gets nothing (most closes: clean, or both sides normal).
 */
export async function fleetContexts(fleet: Fleet, records: readonly Pending[], options: ClassifyOptions = {}): Promise<Map<string, FleetContext>> {
  const contexts = new Map<string, FleetContext>();
  const wanted = records.map((record) => ({ record, ...needs(record) })).filter((want) => want.fleet || want.drop);
  if (wanted.length === 0) return contexts;
  const windowMs = options.massDropWindowMs ?? DEFAULT_MASS_DROP_WINDOW_MS;
  const agents = await knownAgents(fleet);
  const dropping = wanted.filter((want) => want.drop);
  let ends: AbruptEnd[] = [];
  if (dropping.length > 0) {
    const times = dropping.map(({ record }) => endOf((record.server ?? record.client)!));
    ends = await fleet.abruptEnds(Math.min(...times) - windowMs, Math.max(...times) + windowMs, MAX_ABRUPT_ENDS_READ);
  }
  for (const { record, fleet: wantsFleet, drop } of wanted) {
    const context: FleetContext = {};
    if (wantsFleet) context.fleet = fleetFacts(agents, record);
    if (drop && record.server) context.massDrop = serverGroup(ends, record.server, endOf(record.server), windowMs, agents);
    else if (drop && record.client) context.massDrop = clientGroup(ends, record.client, endOf(record.client), windowMs);
    contexts.set(record.id, context);
  }
  return contexts;
}

function fleetFacts(agents: readonly AgentSighting[], record: Pending): FleetFacts {
  const side = (record.client ?? record.server)!;
  const route = sideRoute(side);
  return { serverInstances: instancesOn(agents, 'server', route), clientAgents: instancesOn(agents, 'client', route) };
}
