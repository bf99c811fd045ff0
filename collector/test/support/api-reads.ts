import assert from 'node:assert/strict';

/** Every string in a JSON value, keys included. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsIn(item, out);
    }
  }
  return out;
}

export interface ApiReads {
  summary: { total: number; byCause: Array<{ cause: string; count: number }> };
  closes: { items: Array<{ id: string } & Record<string, unknown>> };
  details: Array<Record<string, unknown>>;
}

/** The whole time a stored connection can have, for reads that must see every final row. */
export const ALL_TIME = 'from=0&to=99999999999999';

/**
 * Reads summary, timeseries (a recent day) and the newest closes with each one's detail, asserting every
 * answer is 200 and every string in it well-formed.
 */
export async function readEverything(url: string, limit = 500): Promise<ApiReads> {
  async function get(path: string): Promise<unknown> {
    const response = await fetch(`${url}${path}`);
    const text = await response.text();
    assert.equal(response.status, 200, `${path} answers 200, got ${response.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as unknown;
    for (const string of stringsIn(body)) assert.ok(string.isWellFormed(), `${path}: a string is not well-formed: ${JSON.stringify(string)}`);
    return body;
  }
  const summary = (await get(`/api/v1/summary?${ALL_TIME}`)) as ApiReads['summary'];
  await get('/api/v1/timeseries');
  const closes = (await get(`/api/v1/closes?${ALL_TIME}&limit=${limit}`)) as ApiReads['closes'];
  const details: Array<Record<string, unknown>> = [];
  for (const item of closes.items) details.push((await get(`/api/v1/closes/${encodeURIComponent(item.id)}`)) as Record<string, unknown>);
  return { summary, closes, details };
}
