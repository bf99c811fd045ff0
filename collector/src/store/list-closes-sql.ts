import { decodeCursor, encodeCursor } from './cursor.js';
import { closeFilterSql } from './filter-sql.js';
import { OUTCOME_COLUMNS, toCloseListItem } from './connection-row.js';
import { SqlParams } from './sql-params.js';
import type { CloseFilter, ClosePage } from './store.js';

/** Newest first; the id breaks ties between equal end times so pages never skip or repeat a row. */
export function listClosesSql(filter: CloseFilter, limit: number, cursor: string | null | undefined): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const conditions = [closeFilterSql(filter, params)];
  if (cursor) {
    const after = decodeCursor(cursor);
    const end = params.add(after.endTimeMs);
    conditions.push(`(end_time_ms < ${end} OR (end_time_ms = ${end} AND id < ${params.add(after.id)}))`);
  }
  const sql = `
SELECT id, trace_id, ${OUTCOME_COLUMNS}
FROM connections
WHERE ${conditions.join(' AND ')}
ORDER BY end_time_ms DESC, id DESC
LIMIT ${params.add(limit + 1)}`;
  return { sql, params: params.values };
}

/** Fetches one row more than the page to know whether another page follows. */
export function toClosePage(rows: Array<Record<string, unknown>>, limit: number): ClosePage {
  const items = rows.slice(0, limit).map(toCloseListItem);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ endTimeMs: last.endTimeMs, id: last.id }) : null };
}
