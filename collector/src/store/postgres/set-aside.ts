/**
 * SQLSTATEs of a value PostgreSQL refuses (data exception, integrity constraint, a value too large
 * for an index), as opposed to the server failing: the row is set aside, the others are written.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '54000');
}

/**
 * Writes `items` with `write` (one statement or transaction). When PostgreSQL refuses a value in them,
 * each half is written on its own, down to the items it refuses alone, which `setAside` keeps: so one
 * bad row never blocks the rows behind it. Any other error propagates. Returns what the writes returned.
 */
export async function writeHalving<T, R>(items: T[], write: (items: T[]) => Promise<R[]>, setAside: (item: T, error: unknown) => Promise<void>): Promise<R[]> {
  try {
    return await write(items);
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (items.length === 1) {
      await setAside(items[0], error);
      return [];
    }
    const half = items.length >> 1;
    return [...(await writeHalving(items.slice(0, half), write, setAside)), ...(await writeHalving(items.slice(half), write, setAside))];
  }
}
