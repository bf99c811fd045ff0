import { cutText } from '../well-formed-text.js';

/** What the store was doing when it refused a row. */
export type QuarantineOperation = 'read_journal' | 'load_final_rows' | 'upsert_sides' | 'update_late_sides' | 'update_evidence' | 'finalize';

/** A row the store refused, as it is set aside: with its error, never blocking the rows behind it. */
export interface QuarantinedRow {
  operation: QuarantineOperation;
  /** The connection it belongs to, when known. */
  connectionId: string | null;
  /** Why the store refused it. */
  error: string;
  /** The row as the store had it (a journal line, or a side or outcome as JSON). */
  payload: string;
  /** Its position in the DuckDB journal, when it came from there. */
  position: number | null;
}

/** Longest error message kept with a quarantined row (DuckDB's quote the whole input). */
const MAX_ERROR_LENGTH = 1000;

export function errorText(error: unknown): string {
  return cutText(error instanceof Error ? error.message : String(error), MAX_ERROR_LENGTH);
}

/**
 * Counts of rows set aside since the store opened (the `closewatch_store_quarantined_total` counter)
 * and one log line per batch set aside, naming where they are.
 */
export class Quarantine {
  readonly #counts = new Map<QuarantineOperation, number>();
  readonly #log: (message: string) => void;
  /** Where the rows go: the DuckDB store's file, or PostgreSQL's table. */
  readonly where: string;

  constructor(where: string, log: (message: string) => void = () => {}) {
    this.where = where;
    this.#log = log;
  }

  counts(): ReadonlyMap<QuarantineOperation, number> {
    return this.#counts;
  }

  /** Records rows already durably set aside. */
  recorded(rows: readonly QuarantinedRow[]): void {
    if (rows.length === 0) return;
    for (const row of rows) this.#counts.set(row.operation, (this.#counts.get(row.operation) ?? 0) + 1);
    const first = rows[0];
    const which = first.connectionId === null ? (first.position === null ? 'a row' : `the line at ${first.position}`) : `connection ${first.connectionId}`;
    const more = rows.length > 1 ? ` and ${rows.length - 1} more` : '';
    this.#log(
      `set aside ${which}${more} the store refused (${first.operation}: ${cutText(first.error, 200)}) in ${this.where}; the rows behind it were stored`,
    );
  }
}
