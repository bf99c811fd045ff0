import { sqlStringList } from './sql-list.js';

const HEX_PREFIX = /^[0-9a-fA-F]{1,13}$/;

/**
 * The indexed key of a connection id: its first 13 hex digits (52 bits of the trace id) as a BIGINT,
 * or null when they are not hex (ids the agents send are hex). An index on this key is ~18 MB per 500k
 * rows where one on the 49-character id was ~47 MB (`duckdb_memory()`), the largest thing DuckDB kept
 * while ingesting. Rows of one trace share a key; lookups filter on the id too.
 */
export function idKey(id: string): number | null {
  const prefix = id.slice(0, 13);
  return HEX_PREFIX.test(prefix) ? parseInt(prefix, 16) : null;
}

/** The same key in SQL, for rows inserted and migrated in DuckDB (`try_cast` of a non-hex prefix is NULL). */
export const ID_KEY_SQL = (column: string) => `try_cast(('0x' || substr(${column}, 1, 13)) AS BIGINT)`;

/**
 * A WHERE condition that finds the rows of these ids through the key index: keyed ids as a constant
 * `id_key IN (…)` list (only that form uses the index), ids without a key by `id` (a scan). The caller
 * still filters the rows on `id` (ids of one trace share a key). `table` qualifies the columns (`connections.`).
 */
export function idKeyCondition(ids: readonly string[], table = ''): string {
  const keys = new Set<number>();
  const unkeyed: string[] = [];
  for (const id of ids) {
    const key = idKey(id);
    if (key === null) unkeyed.push(id);
    else keys.add(key);
  }
  const parts: string[] = [];
  if (keys.size > 0) parts.push(`${table}id_key IN (${[...keys].join(', ')})`);
  if (unkeyed.length > 0) parts.push(`${table}id IN (${sqlStringList(unkeyed)})`);
  return parts.length === 0 ? 'false' : `(${parts.join(' OR ')})`;
}
