import {
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_REASON,
  ATTR_HANDSHAKE_DURATION_MS,
  ATTR_OPEN_DURATION_MS,
  ATTR_OPENED,
  ATTR_PHASE,
  ATTR_ROUTE,
  ATTR_URL_FULL,
  PHASES,
  normalizeRoute,
  type AttributeValue,
  type Classification,
  type ObservedBy,
  type Phase,
} from '@closewatch/conventions';
import type { ConnectionOutcome, ConnectionRecord } from '../store/store.js';
import { clockEvidence, clockOffsets, connectionTimes, type ClockOffsets } from './collector-time.js';
import { isKeptApart } from './join-key.js';
import { appOutcome } from './app-outcome.js';

/** The route recorded when neither side reported a route nor a URL. */
export const UNKNOWN_ROUTE = '(unknown)';

type Sides = Pick<ConnectionRecord, 'client' | 'server'> & Partial<Pick<ConnectionRecord, 'id'>>;

/** The first side's attribute that passes `accept`, client first (the side the user saw). */
function pick<T>(sides: Sides, key: string, accept: (value: AttributeValue | undefined) => value is T & AttributeValue): T | null {
  const fromClient = sides.client?.attributes[key];
  if (accept(fromClient)) return fromClient;
  const fromServer = sides.server?.attributes[key];
  return accept(fromServer) ? fromServer : null;
}

function isNumber(value: AttributeValue | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isText(value: AttributeValue | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

function isPhase(value: AttributeValue | undefined): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

function routeOf(sides: Sides): string {
  const route = pick(sides, ATTR_ROUTE, isText);
  if (route !== null) return route;
  const url = pick(sides, ATTR_URL_FULL, isText);
  return url === null ? UNKNOWN_ROUTE : normalizeRoute(url);
}

function phaseOf(sides: Sides): Phase {
  const phase = pick(sides, ATTR_PHASE, isPhase);
  if (phase !== null) return phase;
  const opened = sides.client?.attributes[ATTR_OPENED] === true || sides.server?.attributes[ATTR_OPENED] === true;
  return opened ? 'open' : 'handshake';
}

function observedBy(sides: Sides): ObservedBy {
  if (sides.client && sides.server) return 'both';
  return sides.client ? 'client' : 'server';
}

/** The classifier's evidence, then what the collector adds: a server span kept apart, corrected clocks. */
function withCollectorEvidence(sides: Sides, evidence: string[], offsets: ClockOffsets): string[] {
  const clocks = clockEvidence(offsets);
  const apart = sides.id !== undefined && isKeptApart({ id: sides.id, server: sides.server });
  if (clocks.length === 0 && !apart) return evidence;
  const lines = [...evidence];
  if (apart) {
    const { parentSpanId, spanId } = sides.server!;
    lines.push(
      parentSpanId === null
        ? `Another server span names this one (${spanId}) as its parent and holds its place: this one is a connection of its own, not joined.`
        : `Another server span holds client span ${parentSpanId}'s place: this one (${spanId}) is a connection of its own, not joined.`,
    );
  }
  lines.push(...clocks);
  return lines;
}

/**
 * The aggregate fields of a final connection: the cause and evidence from classifyClose, the client's
 * code, reason, phase, route and service when it reported them (it is the side the user saw), else the
 * server's; start and end on the collector's clock (`collector-time.ts`).
 */
export function buildOutcome(sides: Sides, classification: Classification): ConnectionOutcome {
  if (sides.client === null && sides.server === null) throw new TypeError('buildOutcome needs at least one side');
  const code = pick(sides, ATTR_CLOSE_CODE, isNumber);
  const offsets = clockOffsets(sides);
  const { startTimeMs, endTimeMs } = connectionTimes(sides, offsets);
  return {
    cause: classification.cause,
    evidence: withCollectorEvidence(sides, classification.evidence, offsets),
    service: (sides.client ?? sides.server)!.service,
    route: routeOf(sides),
    code: code === null ? null : Math.trunc(code),
    reason: pick(sides, ATTR_CLOSE_REASON, isText) ?? '',
    phase: phaseOf(sides),
    observedBy: observedBy(sides),
    startTimeMs,
    endTimeMs,
    handshakeMs: pick(sides, ATTR_HANDSHAKE_DURATION_MS, isNumber),
    openMs: pick(sides, ATTR_OPEN_DURATION_MS, isNumber),
    ...appOutcome(sides),
  };
}
