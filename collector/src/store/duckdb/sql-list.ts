/** Ids as an SQL list of string literals (quotes doubled, so any id is safe). */
export function sqlStringList(ids: string[]): string {
  return ids.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ');
}
