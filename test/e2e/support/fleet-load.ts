import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { spawnNode, type CleanupScope } from '../../harness/index.js';
import type { PathCounts } from './fleet-plan.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const FLEET_APP = fileURLToPath(new URL('./apps/fleet-app.mjs', import.meta.url));
const FLEET_CLIENTS = fileURLToPath(new URL('./apps/fleet-clients.mjs', import.meta.url));

/** Environment of a process run under the real Node agent, exporting to `endpoint`. */
function agentEnv(endpoint: string, service: string, extra: Record<string, string>): Record<string, string> {
  return { CLOSEWATCH_ENDPOINT: endpoint, OTEL_SERVICE_NAME: service, OTEL_BSP_SCHEDULE_DELAY: '200', ...extra };
}

/** Starts apps/fleet-app.mjs under the real agent; resolves with its ws:// URL. */
export async function startFleetApp(t: CleanupScope, endpoint: string, agentOptions: Record<string, string> = {}): Promise<string> {
  const app = spawnNode(['--import', '@closewatch/agent-node/register', FLEET_APP], { cwd: repoRoot, t, env: agentEnv(endpoint, 'fleet-app', agentOptions) });
  // The agent's SDK loads before the app: ~1 s on a quiet machine, 20 s and more on a saturated one.
  await app.waitForOutput(/listening \d+/, 60_000);
  return `ws://127.0.0.1:${/listening (\d+)/.exec(app.stdout())![1]}`;
}

export interface ClientPlan {
  counts: PathCounts;
  concurrency: number;
  /** Keep connecting, in rounds over the paths, for this long (counts then only name the paths). */
  durationMs?: number;
}

/** Runs apps/fleet-clients.mjs under the real agent as `service`; resolves with what it made once its connections ended. */
export async function runFleetClients(
  t: CleanupScope,
  endpoint: string,
  appWsUrl: string,
  service: string,
  plan: ClientPlan,
  agentOptions: Record<string, string> = {},
): Promise<PathCounts> {
  const args = ['--import', '@closewatch/agent-node/register', FLEET_CLIENTS, appWsUrl, JSON.stringify(plan)];
  const clients = spawnNode(args, { cwd: repoRoot, t, env: agentEnv(endpoint, service, agentOptions) });
  await clients.waitForOutput(/^done /m, 120_000);
  return JSON.parse(/^done (.*)$/m.exec(clients.stdout())![1]) as PathCounts;
}

/** Counts with their keys sorted and zeros left out, to compare as JSON. */
export function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export function totalOf(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Final connections stored with both sides, by cause, whose client side came from `service` (straight from the database). */
export async function storedByCause(db: pg.Client, service: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ cause: string; n: string }>(
    `SELECT cause, count(*) AS n FROM connections WHERE is_final AND server IS NOT NULL AND client->>'service' = $1 GROUP BY cause`,
    [service],
  );
  return sortedCounts(Object.fromEntries(rows.map((row) => [row.cause, Number(row.n)])));
}

/** Every span id stored, either side. */
export async function storedSpanIds(db: pg.Client): Promise<Set<string>> {
  const { rows } = await db.query<{ c: string | null; s: string | null }>(`SELECT client->>'spanId' AS c, server->>'spanId' AS s FROM connections`);
  return new Set(rows.flatMap((row) => [row.c, row.s]).filter((id): id is string => id !== null));
}
