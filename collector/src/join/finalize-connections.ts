import { classifyClose, type Classification, type ClassifyOptions, type ConnectionSnapshot } from '@closewatch/conventions';
import { fleetContexts, type FleetContext } from '../fleet/mass-drop-facts.js';
import { massDropEventOf } from '../fleet/mass-drop-events.js';
import type { MassDropEvent } from '../fleet/fleet-store.js';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import { recordCloses } from '../metrics/record-close.js';
import type { ConnectionOutcome, ConnectionRecord, Store } from '../store/store.js';
import { toClassifyInput } from './classifier-input.js';
import { buildOutcome } from './connection-outcome.js';
import { attachLateSides } from './late-sides.js';
import { classifierSnapshot, snapshotsOf } from './snapshot-input.js';

export interface FinalizeDeps {
  store: Store;
  metrics: CollectorMetrics;
  now: () => number;
  /** Classifier options from the configuration (the team's proxy timeouts). */
  classifyOptions?: ClassifyOptions;
}

/** What the collector adds to a row's sides for the classifier: fleet facts, and the client's last snapshot (snapshot-input.ts). */
type ClassifyContext = FleetContext & { snapshot?: ConnectionSnapshot | null };

function classify(record: ConnectionRecord, options: ClassifyOptions = {}, context: ClassifyContext = {}): Classification {
  try {
    return classifyClose({ ...toClassifyInput(record), ...context }, options);
  } catch (error) {
    // A classifier bug must not lose the connection: it is stored as unknown with the reason.
    return { cause: 'unknown', evidence: [`The classifier failed: ${(error as Error).message}`] };
  }
}

/**
 * The outcome of one connection row as it stands (both sides or whatever arrived), with the client's
 * last snapshot when its close record never came: then it is observed by `server_snapshot`.
 */
export function outcomeOf(record: ConnectionRecord, options?: ClassifyOptions, context?: ClassifyContext): ConnectionOutcome {
  const outcome = buildOutcome(record, classify(record, options, context));
  if (context?.snapshot) outcome.observedBy = 'server_snapshot';
  return outcome;
}

/** Fleet facts and mass-drop groups for the records; without them (the fleet failed) they are classified on their sides alone. */
async function contextsOf(deps: FinalizeDeps, records: ConnectionRecord[]): Promise<Map<string, FleetContext>> {
  try {
    return await fleetContexts(deps.store.fleet, records, deps.classifyOptions);
  } catch {
    return new Map();
  }
}

/** Rows another caller made final between our read and our finalize (an instance or the sweeper), as they are now. */
async function finalizedElsewhere(store: Store, records: ConnectionRecord[]): Promise<ConnectionRecord[]> {
  const now = await Promise.all(records.map((record) => store.getConnection(record.id)));
  return now.filter((record): record is ConnectionRecord => record !== null && record.final);
}

/** The mass drops the rows that became final belong to (best effort: a failed write loses no connection). */
async function recordMassDrops(
  deps: FinalizeDeps,
  outcomes: Array<{ id: string; outcome: ConnectionOutcome }>,
  contexts: Map<string, FleetContext>,
  countedIds: Set<string>,
) {
  const nowMs = deps.now();
  const drops: MassDropEvent[] = [];
  for (const { id, outcome } of outcomes) {
    const drop = countedIds.has(id) ? massDropEventOf(outcome, contexts.get(id), nowMs, deps.classifyOptions?.massDropWindowMs) : null;
    if (drop) drops.push(drop);
  }
  if (drops.length > 0) await deps.store.fleet.recordMassDrops(drops).catch(() => undefined);
}

/**
 * Classifies pending rows, stores their outcomes, and counts in metrics only those that became final
 * now. Final rows (a late side arrived) keep their counted outcome and get a late-side note
 * (`late-sides.ts`), as do rows someone else finalised meanwhile without the side we wrote.
 * Returns the outcomes of the rows that became final.
 */
export async function finalizeConnections(deps: FinalizeDeps, records: ConnectionRecord[]): Promise<ConnectionOutcome[]> {
  if (records.length === 0) return [];
  const pending: ConnectionRecord[] = [];
  const finals: ConnectionRecord[] = [];
  for (const record of records) (record.final ? finals : pending).push(record);
  const counted: ConnectionOutcome[] = [];
  if (pending.length > 0) {
    const [contexts, snapshots] = await Promise.all([contextsOf(deps, pending), snapshotsOf(deps.store, pending)]);
    const outcomes = pending.map((record) => ({
      id: record.id,
      outcome: outcomeOf(record, deps.classifyOptions, { ...contexts.get(record.id), snapshot: classifierSnapshot(record, snapshots) }),
    }));
    const newlyFinal = new Set(await deps.store.finalize(outcomes, deps.now()));
    const raced: ConnectionRecord[] = [];
    const countedIds = new Set<string>();
    for (const [i, { id, outcome }] of outcomes.entries()) {
      // an id counts once even if a batch named its row twice
      if (newlyFinal.delete(id)) {
        counted.push(outcome);
        countedIds.add(id);
      } else raced.push(pending[i]);
    }
    recordCloses(deps.metrics, counted);
    await recordMassDrops(deps, outcomes, contexts, countedIds);
    if (raced.length > 0) finals.push(...(await finalizedElsewhere(deps.store, raced)));
  }
  if (finals.length > 0) await attachLateSides(deps, finals, (record) => classify(record, deps.classifyOptions));
  return counted;
}
