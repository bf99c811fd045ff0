import { waitFor } from '../../harness/index.js';

/** The parts of `GET /api/v1/closes` items the pipeline tests read. */
export interface CloseItem {
  id: string;
  traceId: string;
  cause: string;
  observedBy: 'client' | 'server' | 'both' | 'server_snapshot';
  route: string;
  service: string;
  code: number | null;
  phase: string;
  evidence: string[];
  appProtocol: string | null;
  appReason: string | null;
}

export interface StoredSideView {
  side: 'client' | 'server';
  traceId: string;
  service: string;
  resource?: Record<string, unknown>;
  attributes: Record<string, unknown>;
  events: Array<{ name: string }>;
}

/** The parts of `GET /api/v1/closes/:id` the pipeline tests read. */
export interface CloseDetail {
  id: string;
  traceId: string;
  final: boolean;
  finalizedAtMs: number | null;
  client: StoredSideView | null;
  server: StoredSideView | null;
  outcome: CloseItem | null;
  cause: { id: string; title: string; explanation: string; remediation: string } | null;
}

/** GETs a collector API path's JSON, typed as `T` (see @closewatch/conventions' api-types); throws on a non-2xx answer. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Final closes matching the REST API filters (`route`, `service`, `cause`, …) over the last hour. */
export async function listCloses(collectorUrl: string, filters: Record<string, string> = {}): Promise<CloseItem[]> {
  const query = new URLSearchParams({ limit: '500', ...filters });
  const page = await getJson<{ items: CloseItem[] }>(`${collectorUrl}/api/v1/closes?${query}`);
  return page.items;
}

export function closeDetail(collectorUrl: string, id: string): Promise<CloseDetail> {
  return getJson<CloseDetail>(`${collectorUrl}/api/v1/closes/${encodeURIComponent(id)}`);
}

/**
 * Waits until the API lists a final close on `route` observed by `observedBy` (both agents' spans
 * arrived and were joined), and returns its detail. Bounded by `timeoutMs`.
 */
export async function waitForClose(
  collectorUrl: string,
  route: string,
  options: { observedBy?: CloseItem['observedBy']; timeoutMs?: number } = {},
): Promise<CloseDetail> {
  const { observedBy = 'both', timeoutMs = 15_000 } = options;
  let seen: CloseItem[] = [];
  async function findClose(): Promise<CloseItem | undefined> {
    seen = await listCloses(collectorUrl);
    return seen.find((close) => close.route === route && close.observedBy === observedBy);
  }
  const item = await waitFor(findClose, { timeoutMs, intervalMs: 200 }).catch((error: Error) => {
    const listed = seen.map((close) => `${close.route} ${close.observedBy} ${close.cause}`).join(', ') || 'nothing';
    throw new Error(`no close on ${route} observed by ${observedBy} in ${collectorUrl}/api/v1/closes (listed: ${listed}): ${error.message}`);
  });
  return closeDetail(collectorUrl, item.id);
}

/** The value of `closewatch_ws_closes_total` samples matching every label given, summed (0 when none). */
export async function closesTotal(collectorUrl: string, labels: Record<string, string>): Promise<number> {
  const response = await fetch(`${collectorUrl}/metrics`);
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    const sample = /^closewatch_ws_closes_total\{(.*)\} (\S+)$/.exec(line);
    if (!sample) continue;
    const sampleLabels = Object.fromEntries([...sample[1].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) total += Number(sample[2]);
  }
  return total;
}
