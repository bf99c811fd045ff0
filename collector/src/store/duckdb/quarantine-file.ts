import { open, readFile } from 'node:fs/promises';
import type { Quarantine, QuarantinedRow } from '../quarantine.js';

/** Name of the file in the data directory where the DuckDB store sets aside rows it refused. */
export const QUARANTINE_FILE = 'quarantine.jsonl';

/** Journal positions of damaged lines already in the file (each start reads them again until retention drops them). */
async function journalPositionsIn(path: string): Promise<Set<number>> {
  const positions = new Set<number>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return positions;
  }
  for (const line of text.split('\n')) {
    try {
      const row = JSON.parse(line) as Partial<QuarantinedRow>;
      if (row.operation === 'read_journal' && typeof row.position === 'number') positions.add(row.position);
    } catch {
      // a line torn by a crash: nothing to skip for it
    }
  }
  return positions;
}

/**
 * Rows the DuckDB store refused, appended as JSON lines (`{ atMs, operation, connectionId, position,
 * error, payload }`) to `<dataDir>/quarantine.jsonl` and fdatasync'd before the store moves past them.
 * A crash before the store moved past a row sets it aside again at the next start.
 */
export class QuarantineFile {
  readonly #path: string;
  readonly #quarantine: Quarantine;
  #journalPositions: Promise<Set<number>> | null = null;

  constructor(path: string, quarantine: Quarantine) {
    this.#path = path;
    this.#quarantine = quarantine;
  }

  async setAside(rows: readonly QuarantinedRow[]): Promise<void> {
    if (rows.length === 0) return;
    let fresh = rows;
    if (rows.some((row) => row.operation === 'read_journal')) {
      const known = await (this.#journalPositions ??= journalPositionsIn(this.#path));
      fresh = rows.filter((row) => row.operation !== 'read_journal' || !known.has(row.position!));
      for (const row of fresh) if (row.operation === 'read_journal') known.add(row.position!);
      if (fresh.length === 0) return;
    }
    const atMs = Date.now();
    const text = fresh.map((row) => `${JSON.stringify({ atMs, ...row })}\n`).join('');
    const handle = await open(this.#path, 'a');
    try {
      await handle.write(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.#quarantine.recorded(fresh);
  }
}
