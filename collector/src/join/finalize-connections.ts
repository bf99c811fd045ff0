import { classifyClose, type Classification, type ClassifyOptions } from '@closewatch/conventions';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import { recordCloses } from '../metrics/record-close.js';
import type { ConnectionOutcome, ConnectionRecord, Store } from '../store/store.js';
import { toClassifyInput } from './classifier-input.js';
import { buildOutcome } from './connection-outcome.js';

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

/**
 * Classifies rows, stores their outcomes, and counts in metrics only those that became final now:
 * a re-classified row (late side) updates its record but is never counted twice.
 * Returns the outcomes of the rows that became final.
 */
export async function finalizeConnections(deps: FinalizeDeps, records: ConnectionRecord[]): Promise<ConnectionOutcome[]> {
  if (records.length === 0) return [];
  const outcomes = records.map((record) => ({ id: record.id, outcome: outcomeOf(record, deps.classifyOptions) }));
  const newlyFinal = new Set(await deps.store.finalize(outcomes, deps.now()));
  const counted: ConnectionOutcome[] = [];
  for (const { id, outcome } of outcomes) if (newlyFinal.has(id)) counted.push(outcome);
  recordCloses(deps.metrics, counted);
  return counted;
}
