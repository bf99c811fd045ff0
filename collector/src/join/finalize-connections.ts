import { classifyClose, type Classification, type ClassifyOptions, type ConnectionSnapshot } from '@closewatch/conventions';
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

function classify(record: ConnectionRecord, options: ClassifyOptions = {}, snapshot?: ConnectionSnapshot | null): Classification {
  try {
    return classifyClose(toClassifyInput(record, snapshot), options);
  } catch (error) {
    // A classifier bug must not lose the connection: it is stored as unknown with the reason.
    return { cause: 'unknown', evidence: [`The classifier failed: ${(error as Error).message}`] };
  }
}

/**
 * The outcome of one connection row as it stands (both sides or whatever arrived), with the client's
 * last snapshot when its close record never came: then it is observed by `server_snapshot`.
 */
export function outcomeOf(record: ConnectionRecord, options?: ClassifyOptions, snapshot?: ConnectionSnapshot | null): ConnectionOutcome {
  const outcome = buildOutcome(record, classify(record, options, snapshot));
  if (snapshot) outcome.observedBy = 'server_snapshot';
  return outcome;
}

/** Rows another caller made final between our read and our finalize (an instance or the sweeper), as they are now. */
async function finalizedElsewhere(store: Store, records: ConnectionRecord[]): Promise<ConnectionRecord[]> {
  const now = await Promise.all(records.map((record) => store.getConnection(record.id)));
  return now.filter((record): record is ConnectionRecord => record !== null && record.final);
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
    const snapshots = await snapshotsOf(deps.store, pending);
    const outcomes = pending.map((record) => ({ id: record.id, outcome: outcomeOf(record, deps.classifyOptions, classifierSnapshot(record, snapshots)) }));
    const newlyFinal = new Set(await deps.store.finalize(outcomes, deps.now()));
    const raced: ConnectionRecord[] = [];
    for (const [i, { id, outcome }] of outcomes.entries()) {
      if (newlyFinal.has(id)) counted.push(outcome);
      else raced.push(pending[i]!);
    }
    recordCloses(deps.metrics, counted);
    if (raced.length > 0) finals.push(...(await finalizedElsewhere(deps.store, raced)));
  }
  if (finals.length > 0) await attachLateSides(deps, finals, (record) => classify(record, deps.classifyOptions));
  return counted;
}
