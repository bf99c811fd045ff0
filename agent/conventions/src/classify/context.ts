import type { ClassifyInput } from '../classify-types.js';
import { DEFAULT_MASS_DROP_MIN_CONNECTIONS, DEFAULT_MASS_DROP_WINDOW_MS, type FleetFacts, type MassDropFacts } from '../fleet-facts.js';
import { KNOWN_INTERMEDIARY_TIMEOUTS, INTERMEDIARY_TOLERANCE_MS, type IntermediaryTimeout } from '../intermediaries.js';
import { readSide, type SideFacts } from './side-facts.js';
import { readSnapshot, type SnapshotFacts } from './snapshot-facts.js';

export interface ClassifyOptions {
  /** Proxy and load-balancer timeouts to match idle and open durations against. Default KNOWN_INTERMEDIARY_TIMEOUTS. */
  intermediaryTimeouts?: readonly IntermediaryTimeout[];
  /** Least distance allowed between a measured duration and a timeout (3% for long ones). Default 2000 ms. */
  intermediaryToleranceMs?: number;
  /** A failed handshake that took this long counts as timed out. Default 20000 ms (Firefox network.websocket.timeout.open). */
  handshakeTimeoutMs?: number;
  /** A failed handshake this fast with no server span counts as a network error. Default 100 ms. */
  fastFailureMs?: number;
  /** A mass drop needs at least this many abrupt ends in one group. Default 10. */
  massDropMinConnections?: number;
  /** …within this many ms of each other. Default 2000 ms. */
  massDropWindowMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 20_000;
export const DEFAULT_FAST_FAILURE_MS = 100;

/** Everything a rule looks at: both sides read into facts, and the options. */
export interface ClassifyContext {
  client?: SideFacts;
  server?: SideFacts;
  /** The present sides, server first (its knowledge is the more direct one). */
  sides: SideFacts[];
  /** The client's last snapshot: undefined when none is expected (or no server side), null when expected and none came. */
  snapshot?: SnapshotFacts | null;
  /** The connection never reached OPEN, as the client saw it (or the server, when only it reported). */
  failedHandshake: boolean;
  /** The agents the collector knows on this route, when it said. */
  fleet?: FleetFacts;
  /** The abrupt ends around this one in its group, when the collector said. */
  massDrop?: MassDropFacts;
  options: Required<ClassifyOptions>;
}

/** The phase wins over `opened`: a server that sent 101 records `handshake` when the client then refused it. */
function neverOpened(side: SideFacts | undefined): boolean | undefined {
  if (!side) return undefined;
  if (side.phase !== undefined) return side.phase === 'handshake';
  if (side.opened !== undefined) return !side.opened;
  return undefined;
}

function presentSides(client: SideFacts | undefined, server: SideFacts | undefined): SideFacts[] {
  if (client && server) return [server, client];
  if (server) return [server];
  return client ? [client] : [];
}

export function buildContext(input: ClassifyInput, options: ClassifyOptions = {}): ClassifyContext {
  const client = input.client ? readSide('client', input.client) : undefined;
  const server = input.server ? readSide('server', input.server) : undefined;
  const snapshot = input.snapshot;
  return {
    client,
    server,
    sides: presentSides(client, server),
    snapshot: server && snapshot !== undefined ? snapshot && readSnapshot(snapshot, server) : undefined,
    failedHandshake: neverOpened(client) ?? neverOpened(server) ?? false,
    fleet: input.fleet,
    massDrop: input.massDrop,
    options: {
      intermediaryTimeouts: options.intermediaryTimeouts ?? KNOWN_INTERMEDIARY_TIMEOUTS,
      intermediaryToleranceMs: options.intermediaryToleranceMs ?? INTERMEDIARY_TOLERANCE_MS,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      fastFailureMs: options.fastFailureMs ?? DEFAULT_FAST_FAILURE_MS,
      massDropMinConnections: options.massDropMinConnections ?? DEFAULT_MASS_DROP_MIN_CONNECTIONS,
      massDropWindowMs: options.massDropWindowMs ?? DEFAULT_MASS_DROP_WINDOW_MS,
    },
  };
}
