import type { ErrorBody } from '../../src/errors.js';

export type { ErrorBody };

/** A response's status and its parsed JSON body. */
export interface JsonAnswer<T> {
  status: number;
  body: T;
}

/**
 * The JSON body of a response as `T`: the caller names the shape it expects (an API response type of
 * `@closewatch/conventions`, `ErrorBody` for an error answer); nothing is checked at run time, the
 * test's assertions do that.
 */
export async function jsonOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Fetches `url` and answers its status and JSON body as `T` (see jsonOf). */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<JsonAnswer<T>> {
  const response = await fetch(url, init);
  return { status: response.status, body: await jsonOf<T>(response) };
}
