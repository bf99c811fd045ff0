/**
 * What the collector knows beyond one connection's spans, handed to classifyClose with it
 * (docs/design.md "Agents known" and "Mass drops"). The collector builds these from the agents it has
 * seen and from the abrupt ends it received; the classifier stays pure.
 */

/** One service instance whose agent reported spans, as the collector saw it. */
export interface KnownInstance {
  service: string;
  /** `service.instance.id` of its spans; '' when the agent sent none. */
  instance: string;
  /** When the collector last received a span of it, on the collector's clock (ms since the epoch). */
  lastSeenMs: number;
}

/** The agents that reported connections on this connection's route. */
export interface FleetFacts {
  /** Server agents (instances) that reported server spans on this route. */
  serverInstances: KnownInstance[];
  /** Client agents (by service; browsers send no instance id) that reported client spans on this route. */
  clientAgents?: KnownInstance[];
}

/**
 * The connections that ended abruptly around this one and share its group: the server instance and
 * route (server side present), or the address and route the clients connected to (client side alone).
 */
export interface MassDropFacts {
  group: 'server_instance' | 'client_target';
  route: string;
  /** Host and route the clients connected to (client_target). */
  target?: string;
  /** The server instance (server_instance). */
  instance?: KnownInstance;
  /** Abrupt ends in the group within the window around this one, this one included. */
  connections: number;
  /** First and last of those ends, on the collector's clock. */
  firstEndMs: number;
  lastEndMs: number;
  /** Of a client_target group: how many had a server side by the time this one was classified. */
  withServerSide: number;
}

/** Defaults of the mass-drop rule's thresholds (ClassifyOptions). */
export const DEFAULT_MASS_DROP_MIN_CONNECTIONS = 10;
export const DEFAULT_MASS_DROP_WINDOW_MS = 2_000;
