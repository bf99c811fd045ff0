import type { Side } from '@closewatch/conventions';
import { toNullableNumber, toNumber } from '../store/row-values.js';
import type { AbruptEnd, AgentSighting, MassDropEvent } from './fleet-store.js';

type Row = Record<string, unknown>;

/** Column lists and row readers shared by the PostgreSQL and DuckDB fleet tables. */
export const AGENT_COLUMNS = 'side, service, instance, route, scope, first_seen_ms, last_seen_ms, spans';
export const MASS_DROP_COLUMNS = 'id, cause, grouping, route, target, service, instance, connections, first_end_ms, last_end_ms, last_seen_ms, detected_at_ms';

export function toAgentSighting(row: Row): AgentSighting {
  return {
    side: row.side as Side,
    service: String(row.service),
    instance: String(row.instance),
    route: String(row.route),
    scope: String(row.scope),
    firstSeenMs: toNumber(row.first_seen_ms),
    lastSeenMs: toNumber(row.last_seen_ms),
    spans: toNumber(row.spans),
  };
}

export function toAbruptEnd(row: Row): AbruptEnd {
  return {
    connectionId: String(row.connection_id),
    side: row.side as Side,
    endTimeMs: toNumber(row.end_time_ms),
    service: String(row.service),
    instance: String(row.instance),
    route: String(row.route),
    target: String(row.target),
  };
}

export function toMassDrop(row: Row): MassDropEvent {
  return {
    id: String(row.id),
    cause: row.cause as MassDropEvent['cause'],
    group: row.grouping as MassDropEvent['group'],
    route: String(row.route),
    target: String(row.target),
    service: String(row.service),
    instance: String(row.instance),
    connections: toNumber(row.connections),
    firstEndMs: toNumber(row.first_end_ms),
    lastEndMs: toNumber(row.last_end_ms),
    lastSeenMs: toNullableNumber(row.last_seen_ms),
    detectedAtMs: toNumber(row.detected_at_ms),
  };
}

/** Positional parameters of one mass-drop row, in MASS_DROP_COLUMNS order. */
export function massDropParams(drop: MassDropEvent): unknown[] {
  return [
    drop.id,
    drop.cause,
    drop.group,
    drop.route,
    drop.target,
    drop.service,
    drop.instance,
    drop.connections,
    drop.firstEndMs,
    drop.lastEndMs,
    drop.lastSeenMs,
    drop.detectedAtMs,
  ];
}

export function agentParams(agent: AgentSighting): unknown[] {
  return [agent.side, agent.service, agent.instance, agent.route, agent.scope, agent.firstSeenMs, agent.lastSeenMs, agent.spans];
}
