import type { CauseId } from './cause-ids.js';
import type { ConnectionSnapshot } from './snapshots.js';
import type { FleetFacts, MassDropFacts } from './fleet-facts.js';

/** An attribute value as it appears on a span. */
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** A span event: name, time in ms since the epoch, optional attributes. */
export interface SideEvent {
  name: string;
  timeMs: number;
  attributes?: Record<string, AttributeValue>;
}

/** One side's view of a connection, the classifier's input shape (docs/design.md "Classify"). */
export interface ConnectionSide {
  attributes: Record<string, AttributeValue | undefined>;
  events: SideEvent[];
  startTimeMs: number;
  endTimeMs: number;
}

export interface ClassifyInput {
  client?: ConnectionSide;
  server?: ConnectionSide;
  /**
   * The last open-connection snapshot of the client (docs/design.md "Open-connection snapshots"):
   * undefined when no snapshot is expected (no browser agent on the client), null when a browser agent
   * propagated trace context but sent no snapshot of this connection.
   */
  snapshot?: ConnectionSnapshot | null;
  /** The agents the collector knows on this connection's route (fleet-facts.ts). */
  fleet?: FleetFacts;
  /** The abrupt ends around this one in its group, when it ended abruptly (fleet-facts.ts). */
  massDrop?: MassDropFacts;
}

export interface Classification {
  cause: CauseId;
  /** Human sentences the dashboard can show. */
  evidence: string[];
  /** Id of the classification rule that decided, for debugging (`fallback.unknown` when none did). */
  rule?: string;
}
