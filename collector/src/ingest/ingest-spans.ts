import type { FinalizeDeps } from '../join/finalize-connections.js';
import { expectsPeer, toIncomingSide } from '../join/join-key.js';
import type { PendingConnections } from '../join/pending-connections.js';
import type { IncomingSide, StoredSnapshot } from '../store/store.js';
import type { DecodedTraceRequest } from './otlp-types.js';
import { readSpan, readSpanContext } from './read-span.js';
import { storeUnavailable, type SideWriter } from './side-writer.js';

export interface IngestDeps extends FinalizeDeps {
  joinWindowMs: number;
  maxPendingConnections: number;
  pending: PendingConnections;
  writer: SideWriter;
}

export interface IngestResult {
  accepted: number;
  rejected: number;
  ignored: number;
  /** The first few rejection reasons, for the partial-success message. */
  rejections: string[];
  /** Of the accepted spans, open-connection snapshots (never connections). */
  snapshots: number;
  /** Attribute values dropped from accepted spans (they do not fit their key's type)… */
  dropped: number;
  /** …and the first few notes saying which. */
  droppedNotes: string[];
}

/** Rejection reasons quoted in the partial-success message. */
const MAX_REASONS = 5;

interface CollectedSides {
  sides: IncomingSide[];
  /** Connection ids finalised at once: no peer expected, or join overflow. */
  alone: Set<string>;
  snapshots: StoredSnapshot[];
}

function noteDropped(result: IngestResult, notes: string[]): void {
  result.dropped += notes.length;
  for (const note of notes) if (result.droppedNotes.length < MAX_REASONS) result.droppedNotes.push(note);
}

/** One entry per span: a span sent twice in one request keeps its last copy (distinct spans never merge). */
function collectSides(deps: IngestDeps, request: DecodedTraceRequest, result: IngestResult): CollectedSides {
  const receivedAtMs = deps.now();
  const waitForPeer = deps.pending.cached() < deps.maxPendingConnections;
  const sides = new Map<string, IncomingSide>();
  const alone = new Set<string>();
  const snapshots: StoredSnapshot[] = [];
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const context = readSpanContext(resourceSpans.resource?.attributes, scopeSpans.scope, receivedAtMs);
      for (const raw of scopeSpans.spans) {
        const reading = readSpan(raw, context);
        if (reading.result === 'ignored') result.ignored++;
        else if (reading.result === 'rejected') {
          result.rejected++;
          if (result.rejections.length < MAX_REASONS) result.rejections.push(reading.reason);
        } else if (reading.result === 'snapshot') {
          result.accepted++;
          result.snapshots++;
          if (reading.notes !== null) noteDropped(result, reading.notes);
          snapshots.push(reading.snapshot);
        } else {
          result.accepted++;
          if (reading.notes !== null) noteDropped(result, reading.notes);
          const peerExpected = expectsPeer(reading.span);
          if (peerExpected && !waitForPeer) deps.metrics.joinOverflowTotal.inc();
          const incoming = toIncomingSide(reading.span, deps.joinWindowMs, !peerExpected || !waitForPeer);
          if (!peerExpected || !waitForPeer) alone.add(incoming.connectionId);
          sides.set(`${incoming.connectionId}/${reading.span.side}/${reading.span.spanId}`, incoming);
        }
      }
    }
  }
  return { sides: [...sides.values()], alone, snapshots };
}

/**
 * The ingest of one decoded request: validate and convert the spans, write them durably, then classify
 * and finalise every connection that is complete. Resolves only once the store has everything; a store
 * failure rejects with `store_unavailable` (503 + Retry-After).
 */
export function ingestTraceRequest(deps: IngestDeps, request: DecodedTraceRequest): Promise<IngestResult> {
  const result: IngestResult = { accepted: 0, rejected: 0, ignored: 0, snapshots: 0, rejections: [], dropped: 0, droppedNotes: [] };
  const { sides, alone, snapshots } = collectSides(deps, request, result);
  if (result.rejected > 0) deps.metrics.ingestSpansTotal.inc({ result: 'rejected' }, result.rejected);
  if (result.ignored > 0) deps.metrics.ingestSpansTotal.inc({ result: 'ignored' }, result.ignored);
  if (sides.length === 0 && snapshots.length === 0) return Promise.resolve(result);
  return writeSides(deps, sides, alone, snapshots, result);
}

/** Not part of `ingestTraceRequest`: an async function keeps its arguments alive until it returns. */
async function writeSides(
  deps: IngestDeps,
  sides: IncomingSide[],
  alone: Set<string>,
  snapshots: StoredSnapshot[],
  result: IngestResult,
): Promise<IngestResult> {
  await Promise.all([sides.length > 0 ? deps.writer.write(sides, alone) : undefined, writeSnapshots(deps, snapshots)]);
  const connections = result.accepted - result.snapshots;
  if (connections > 0) deps.metrics.ingestSpansTotal.inc({ result: 'accepted' }, connections);
  if (result.snapshots > 0) deps.metrics.ingestSpansTotal.inc({ result: 'snapshot' }, result.snapshots);
  return result;
}

/** Snapshots are durable before the answer, like sides; a store failure is the same 503. */
async function writeSnapshots(deps: IngestDeps, snapshots: StoredSnapshot[]): Promise<void> {
  if (snapshots.length === 0) return;
  try {
    await deps.store.putSnapshots(snapshots);
  } catch (error) {
    throw storeUnavailable(error);
  }
}
