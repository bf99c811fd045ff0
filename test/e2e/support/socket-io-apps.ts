import { fileURLToPath } from 'node:url';
import { spawnNode, waitFor, type CleanupScope, type ManagedProcess } from '../../harness/index.js';
import { closeDetail, listCloses, type CloseDetail, type CloseItem } from './collector-api.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SOCKET_IO_APP = fileURLToPath(new URL('./apps/socket-io-app.mjs', import.meta.url));
const SOCKET_IO_CLIENT = fileURLToPath(new URL('./apps/socket-io-client.mjs', import.meta.url));

export interface SocketIoApp {
  process: ManagedProcess;
  url: string;
  port: number;
}

/** Runs a Node app under the real agent (`--import @closewatch/agent-node/register`) reporting to `collectorUrl`. */
function spawnWithAgent(script: string, args: string[], collectorUrl: string, service: string, env: Record<string, string>, t: CleanupScope): ManagedProcess {
  return spawnNode(['--import', '@closewatch/agent-node/register', script, ...args], {
    cwd: repoRoot,
    t,
    env: { CLOSEWATCH_ENDPOINT: collectorUrl, COLLECTOR_URL: collectorUrl, OTEL_SERVICE_NAME: service, OTEL_BSP_SCHEDULE_DELAY: '100', ...env },
  });
}

/** The socket.io server app (support/apps/socket-io-app.mjs), listening on loopback. */
export async function startSocketIoApp(t: CleanupScope, collectorUrl: string, env: Record<string, string> = {}): Promise<SocketIoApp> {
  const app = spawnWithAgent(SOCKET_IO_APP, [], collectorUrl, 'socket-io-app', env, t);
  await app.waitForOutput(/listening \d+/, 20_000);
  const port = Number(/listening (\d+)/.exec(app.stdout())?.[1]);
  return { process: app, port, url: `http://127.0.0.1:${port}` };
}

/** A socket.io-client process (support/apps/socket-io-client.mjs) connecting to `appUrl`. */
export function startSocketIoClient(t: CleanupScope, collectorUrl: string, appUrl: string, env: Record<string, string> = {}): ManagedProcess {
  return spawnWithAgent(SOCKET_IO_CLIENT, [appUrl], collectorUrl, 'socket-io-node-client', env, t);
}

/** The one final close the collector lists with `observedBy`, waited for (bounded), with its detail. */
export async function waitForOnlyClose(collectorUrl: string, observedBy: CloseItem['observedBy'], timeoutMs = 30_000): Promise<CloseDetail> {
  let seen: CloseItem[] = [];
  const item = await waitFor(
    async () => {
      seen = await listCloses(collectorUrl);
      return seen.find((close) => close.observedBy === observedBy);
    },
    { timeoutMs, intervalMs: 200 },
  ).catch((error: Error) => {
    throw new Error(`no close observed by ${observedBy} (listed: ${seen.map((c) => `${c.observedBy} ${c.cause}`).join(', ') || 'nothing'}): ${error.message}`);
  });
  const listed = await listCloses(collectorUrl);
  if (listed.length !== 1)
    throw new Error(`expected one connection, the collector lists ${listed.length}: ${listed.map((c) => `${c.observedBy} ${c.cause}`).join(', ')}`);
  return closeDetail(collectorUrl, item.id);
}
