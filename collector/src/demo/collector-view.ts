import type { CauseId } from '@closewatch/conventions';
import { DEMO_SERVICE } from './demo-tracing.js';

export interface CollectorView {
  /** Final connections of the demo's service since the run started. */
  total: number;
  byCause: Array<{ cause: CauseId; count: number }>;
}

const POLL_MS = 250;

async function demoSummary(collectorUrl: string, sinceMs: number): Promise<CollectorView> {
  const query = new URLSearchParams({ service: DEMO_SERVICE, from: String(sinceMs), to: String(Date.now() + 60_000) });
  const response = await fetch(`${collectorUrl}/api/v1/summary?${query.toString()}`);
  if (!response.ok) throw new Error(`GET /api/v1/summary answered ${response.status}`);
  const summary = (await response.json()) as CollectorView;
  return { total: summary.total, byCause: summary.byCause.map(({ cause, count }) => ({ cause, count })) };
}

/**
 * What the collector made of the run, once it finalised `expected` connections or `timeoutMs`
 * passed (a side whose peer never came waits for the collector's join window).
 */
export async function waitForCollectorView(collectorUrl: string, sinceMs: number, expected: number, timeoutMs: number): Promise<CollectorView> {
  const deadline = Date.now() + timeoutMs;
  let view = await demoSummary(collectorUrl, sinceMs);
  while (view.total < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    view = await demoSummary(collectorUrl, sinceMs);
  }
  return view;
}
