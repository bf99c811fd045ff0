import { classifyClose, type Classification, type ClassifyOptions } from '@closewatch/conventions';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import { recordCloses } from '../metrics/record-close.js';
import type { ConnectionOutcome, ConnectionRecord, Store } from '../store/store.js';
import { toClassifyInput } from './classifier-input.js';
import { buildOutcome } from './connection-outcome.js';
import { attachLateSides } from './late-sides.js';

export interface FinalizeDeps {
  store: Store;
  metrics: CollectorMetrics;
  now: () => number;
  /** Classifier options from the configuration (the team's proxy timeouts). */
  classifyOptions?: ClassifyOptions;
}

function classify(record: ConnectionRecord, options: ClassifyOptions = {}): Classification {
  try {
    return classifyClose(toClassifyInput(record), options);
  } catch (error) {
    // A classifier bug must not lose the connection: it is stored as unknown with the reason.
    return { cause: 'unknown', evidence: [`The classifier failed: ${(error as Error).message}`] };
  }
}

/** The outcome of one connection row as it stands (both sides or whatever arrived). */
export function outcomeOf(record: ConnectionRecord, options?: ClassifyOptions): ConnectionOutcome {
  return buildOutcome(record, classify(record, options));
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
    const outcomes = pending.map((record) => ({ id: record.id, outcome: outcomeOf(record, deps.classifyOptions) }));
    const newlyFinal = new Set(await deps.store.finalize(outcomes, deps.now()));
    const raced: ConnectionRecord[] = [];
    for (const [i, { id, outcome }] of outcomes.entries()) {
      // an id counts once even if a batch named its row twice
      if (newlyFinal.delete(id)) counted.push(outcome);
      else raced.push(pending[i]!);
    }
    recordCloses(deps.metrics, counted);
    if (raced.length > 0) finals.push(...(await finalizedElsewhere(deps.store, raced)));
  }
  if (finals.length > 0) await attachLateSides(deps, finals, (record) => classify(record, deps.classifyOptions));
  return counted;
}
