import { ATTR_HANDSHAKE_DURATION_MS, EVIDENCE_CLOCK_OFFSET_MS, type Side } from '@closewatch/conventions';
import type { ConnectionRecord, StoredSide } from '../store/store.js';

/**
 * Collector time: every side is placed on the collector's clock. A side keeps the times its agent sent
 * (durations within one side stay as measured); its clock offset (its clock minus the collector's) says
 * how far to move it. Join deadlines run on the receive clock (`receivedAtMs`), never on span times.
 */

/**
 * Longest delivery the collector believes: the browser agent retries an export while its page lives
 * (an offline laptop delivers hours later), so a side that arrives later than this after its end is
 * taken for a clock that is behind, not for a slow delivery.
 */
export const MAX_DELIVERY_DELAY_MS = 24 * 3_600_000;

/** Corrections smaller than this are applied but not worth an evidence line (NTP-synced hosts differ by ms). */
export const CLOCK_EVIDENCE_MIN_MS = 1000;

/** Each present side's clock minus the collector's, in ms (null for a side that did not arrive). */
export interface ClockOffsets {
  client: number | null;
  server: number | null;
}

type Sides = Pick<ConnectionRecord, 'client' | 'server'>;

/**
 * A side's offset from its own arrival alone: a span cannot end after the collector received it (its
 * clock was ahead by at least that much), nor long before (see MAX_DELIVERY_DELAY_MS); either way it is
 * placed at its arrival. Anything in between may be a slow delivery and is left as sent.
 */
export function ownClockOffsetMs(span: Pick<StoredSide, 'endTimeMs' | 'receivedAtMs'>): number {
  const lateMs = span.receivedAtMs - span.endTimeMs;
  return lateMs < 0 || lateMs > MAX_DELIVERY_DELAY_MS ? -lateMs : 0;
}

/** How long the client spent before it saw the upgrade answered (its whole span when it does not say). */
function handshakeWindowMs(client: StoredSide): number {
  const lifetimeMs = Math.max(0, client.endTimeMs - client.startTimeMs);
  const handshakeMs = client.attributes[ATTR_HANDSHAKE_DURATION_MS];
  return typeof handshakeMs === 'number' && handshakeMs >= 0 ? Math.min(Math.round(handshakeMs), lifetimeMs) : lifetimeMs;
}

/**
 * The client's clock minus the server's: the server received the upgrade after the client began it and
 * before the client saw it answered, so its start lies in the client's handshake. The least shift that
 * makes it so (0 when it already does); off by at most the request's travel time.
 */
export function relativeClockOffsetMs(client: StoredSide, server: StoredSide): number {
  const earliestMs = client.startTimeMs - server.startTimeMs;
  const latestMs = earliestMs + handshakeWindowMs(client);
  if (earliestMs > 0) return earliestMs;
  return latestMs < 0 ? latestMs : 0;
}

/**
 * Where the sides of one connection sit on the collector's clock. The server side is placed by its own
 * arrival (servers' clocks are usually synced), the client aligned to it; if the client would then end
 * after its own arrival, both clocks were ahead and both move.
 */
export function clockOffsets(sides: Sides): ClockOffsets {
  const { client, server } = sides;
  if (server === null) return { client: client === null ? null : ownClockOffsetMs(client), server: null };
  let serverOffset = ownClockOffsetMs(server);
  if (client === null) return { client: null, server: serverOffset };
  const relative = relativeClockOffsetMs(client, server);
  const clientPastArrivalMs = client.endTimeMs - relative - serverOffset - client.receivedAtMs;
  if (clientPastArrivalMs > 0) serverOffset += clientPastArrivalMs;
  return { client: serverOffset + relative, server: serverOffset };
}

/** The connection's start and end on the collector's clock: the earliest start and latest end of its placed sides. */
export function connectionTimes(sides: Sides, offsets: ClockOffsets): { startTimeMs: number; endTimeMs: number } {
  let startTimeMs = Infinity;
  let endTimeMs = -Infinity;
  for (const side of ['client', 'server'] as const) {
    const span = sides[side];
    if (span === null) continue;
    const offset = offsets[side] ?? 0;
    startTimeMs = Math.min(startTimeMs, span.startTimeMs - offset);
    endTimeMs = Math.max(endTimeMs, span.endTimeMs - offset);
  }
  return { startTimeMs, endTimeMs };
}

/** `2 h 5 min`, `3.0 min`, `12.3 s`. */
function spanOfTime(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One evidence line per side whose clock was corrected by at least CLOCK_EVIDENCE_MIN_MS. */
export function clockEvidence(offsets: ClockOffsets): string[] {
  const lines: string[] = [];
  for (const side of ['client', 'server'] as const satisfies readonly Side[]) {
    const offset = offsets[side];
    if (offset === null || Math.abs(offset) < CLOCK_EVIDENCE_MIN_MS) continue;
    lines.push(
      `The ${side}'s clock was ${spanOfTime(Math.abs(offset))} ${offset > 0 ? 'ahead of' : 'behind'} the collector's ` +
        `(${EVIDENCE_CLOCK_OFFSET_MS}=${Math.round(offset)}): its times are placed on the collector's clock, its durations kept as measured.`,
    );
  }
  return lines;
}
