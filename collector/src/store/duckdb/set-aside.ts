import type { DuckDbExecutor, DuckDbSession } from './duckdb-session.js';

/** DuckDB's errors about a value it refuses, as opposed to the database failing (memory, disk, closed). */
const DATA_ERROR = /^(Invalid Input|Conversion|Constraint|Out of Range) Error/;

export function isDuckDbDataError(error: unknown): boolean {
  return error instanceof Error && DATA_ERROR.test(error.message);
}

export interface Refused<T> {
  item: T;
  error: unknown;
}

/** Thrown to roll a trial back once its statements ran. */
const TRIED = new Error('trial rolled back');

/** Null when DuckDB accepts `write` of these items, else its data error; rolled back either way. */
async function trial<T>(session: DuckDbSession, items: T[], write: (tx: DuckDbExecutor, items: T[]) => Promise<void>): Promise<unknown> {
  try {
    await session.transaction(async (tx) => {
      await write(tx, items);
      throw TRIED;
    });
  } catch (error) {
    if (error === TRIED) return null;
    if (isDuckDbDataError(error)) return error;
    throw error;
  }
  return null;
}

/** The items DuckDB refuses on their own, found by halving (about 2·log2(n) trials per refused item). */
async function refusedAlone<T>(
  session: DuckDbSession,
  items: T[],
  write: (tx: DuckDbExecutor, items: T[]) => Promise<void>,
  error: unknown,
): Promise<Array<Refused<T>>> {
  if (error === null) return [];
  if (items.length === 1) return [{ item: items[0], error }];
  const half = items.length >> 1;
  const first = items.slice(0, half);
  const second = items.slice(half);
  return [
    ...(await refusedAlone(session, first, write, await trial(session, first, write))),
    ...(await refusedAlone(session, second, write, await trial(session, second, write))),
  ];
}

export interface SetAsideWrite<T> {
  /** The statements for some of the items, inside the caller's transaction. */
  write(tx: DuckDbExecutor, items: T[]): Promise<void>;
  /** Runs after `write` in the same transaction (e.g. recording the journal position loaded). */
  after?(tx: DuckDbExecutor): Promise<void>;
  /** Keeps the refused items durably elsewhere; runs before the rest is committed. */
  setAside(refused: Array<Refused<T>>): Promise<void>;
}

/**
 * Writes `items` in one transaction. When DuckDB refuses a value among them, the items it refuses on
 * their own are set aside and the rest is written, so one bad row never blocks the rows behind it.
 * Any other error (the database failing) propagates with nothing written. Returns what was set aside.
 */
export async function writeSettingAside<T>(session: DuckDbSession, items: T[], how: SetAsideWrite<T>): Promise<Array<Refused<T>>> {
  const all = async (tx: DuckDbExecutor, chosen: T[]) => {
    await how.write(tx, chosen);
    await how.after?.(tx);
  };
  try {
    await session.transaction((tx) => all(tx, items));
    return [];
  } catch (error) {
    if (!isDuckDbDataError(error)) throw error;
    const refused = await refusedAlone(session, items, (tx, chosen) => how.write(tx, chosen), error);
    const left = new Set(refused.map(({ item }) => item));
    await how.setAside(refused);
    await session.transaction((tx) =>
      all(
        tx,
        items.filter((item) => !left.has(item)),
      ),
    );
    return refused;
  }
}
