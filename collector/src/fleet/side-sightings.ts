import {
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_WAS_CLEAN,
  ATTR_ERROR_TYPE,
  ATTR_ROUTE,
  ATTR_TERMINATION,
  ATTR_URL_FULL,
  RESOURCE_SERVICE_INSTANCE_ID,
  normalizeRoute,
  sideEndedAbruptly,
} from '@closewatch/conventions';
import { toConnectionSide } from '../join/classifier-input.js';
import { ownClockOffsetMs } from '../join/collector-time.js';
import type { IncomingSide, StoredSide } from '../store/store.js';
import type { AbruptEnd, AgentSighting } from './fleet-store.js';

/** The route a side reported, or the one its URL normalises to; '' when it has neither. */
export function sideRoute(span: StoredSide): string {
  const route = span.attributes[ATTR_ROUTE];
  if (typeof route === 'string' && route !== '') return route;
  const url = span.attributes[ATTR_URL_FULL];
  return typeof url === 'string' && url !== '' ? normalizeRoute(url) : '';
}

export function sideInstance(span: StoredSide): string {
  const instance = span.resource[RESOURCE_SERVICE_INSTANCE_ID];
  return typeof instance === 'string' ? instance : '';
}

/** `app.example.com:443/ws`: where a client connected, from its URL (the route alone when it has none). */
export function clientTarget(span: StoredSide, route: string): string {
  const url = span.attributes[ATTR_URL_FULL];
  if (typeof url !== 'string') return route;
  try {
    return `${new URL(url).host}${route}`;
  } catch {
    return route;
  }
}

/** One sighting per side: the agent that sent it, on its route, seen when the side arrived. */
export function sightingsOf(sides: readonly IncomingSide[]): AgentSighting[] {
  return sides.map(({ span }) => ({
    side: span.side,
    service: span.service,
    instance: sideInstance(span),
    route: sideRoute(span),
    scope: `${span.scope.name} ${span.scope.version}`.trim(),
    firstSeenMs: span.receivedAtMs,
    lastSeenMs: span.receivedAtMs,
    spans: 1,
  }));
}

/** A clean close with a code (most closes) cannot be abrupt: skips reading the side's facts. */
function maybeAbrupt(span: StoredSide): boolean {
  const { attributes } = span;
  return (
    attributes[ATTR_CLOSE_WAS_CLEAN] !== true ||
    attributes[ATTR_CLOSE_CODE] === 1006 ||
    attributes[ATTR_TERMINATION] !== undefined ||
    attributes[ATTR_ERROR_TYPE] !== undefined
  );
}

/** The sides that ended abruptly, with their end on the collector's clock. */
export function abruptEndsOf(sides: readonly IncomingSide[]): AbruptEnd[] {
  const ends: AbruptEnd[] = [];
  for (const { connectionId, span } of sides) {
    if (!maybeAbrupt(span) || !sideEndedAbruptly(span.side, toConnectionSide(span))) continue;
    const route = sideRoute(span);
    ends.push({
      connectionId,
      side: span.side,
      endTimeMs: span.endTimeMs - ownClockOffsetMs(span),
      service: span.service,
      instance: sideInstance(span),
      route,
      target: span.side === 'client' ? clientTarget(span, route) : '',
    });
  }
  return ends;
}
