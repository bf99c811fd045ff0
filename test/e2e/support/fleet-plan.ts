import type { CauseId } from '@closewatch/conventions';

/** The fleet app's paths (apps/fleet-app.mjs) and the cause each ends its connections with. */
export const CAUSE_BY_PATH = {
  '/normal': 'normal_closure',
  '/app': 'application_close',
  '/crash': 'server_terminated',
  '/auth': 'handshake_auth_rejected',
  '/upload': 'server_rejected_frame',
} as const satisfies Record<string, CauseId>;

export type FleetPath = keyof typeof CAUSE_BY_PATH;

export const FLEET_PATHS = Object.keys(CAUSE_BY_PATH) as FleetPath[];

/** Connections per path, e.g. what a client driver or a page reports it made. */
export type PathCounts = Record<FleetPath, number>;

export function countsPerPath(perPath: number): PathCounts {
  return Object.fromEntries(FLEET_PATHS.map((path) => [path, perPath])) as PathCounts;
}

/** Adds connection counts per path into counts per cause. */
export function countsPerCause(...made: PathCounts[]): Record<string, number> {
  const byCause: Record<string, number> = {};
  for (const counts of made) {
    for (const path of FLEET_PATHS) byCause[CAUSE_BY_PATH[path]] = (byCause[CAUSE_BY_PATH[path]] ?? 0) + (counts[path] ?? 0);
  }
  return byCause;
}

/**
 * A page loading the real snippet through the load balancer (`agentUrl`), exporting to `endpoint`; its
 * `runPlan(appWsUrl, counts, concurrency)` connects to each path as often as counts says, acting like
 * fleet-clients.mjs, and resolves with the connections that ended per path.
 */
export function fleetPageHtml(agentUrl: string, endpoint: string, service: string): string {
  return `<!doctype html><title>closewatch fleet page</title>
<script src="${agentUrl}" data-endpoint="${endpoint}" data-service="${service}" data-flush-interval-ms="200"></script>
<script>
  function connectOnce(url, path) {
    return new Promise(function runConnection(resolve) {
      const socket = new WebSocket(url + path);
      const limit = setTimeout(function giveUp() { socket.close(); }, 10000);
      socket.addEventListener('open', function sendOnOpen() {
        socket.send(path === '/upload' ? 'x'.repeat(2048) : 'hello');
      });
      socket.addEventListener('message', function closeNormally() {
        if (path === '/normal') socket.close(1000, 'done');
      });
      socket.addEventListener('close', function connectionEnded() {
        clearTimeout(limit);
        resolve(path);
      });
    });
  }
  window.runPlan = async function runPlan(url, counts, concurrency) {
    const made = {};
    const queue = [];
    const left = Object.assign({}, counts);
    for (const path of Object.keys(left)) made[path] = 0;
    while (Object.values(left).some(function more(n) { return n > 0; })) {
      for (const path of Object.keys(left)) if (left[path]-- > 0) queue.push(path);
    }
    async function lane() {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) made[await connectOnce(url, path)]++;
    }
    await Promise.all(Array.from({ length: concurrency }, lane));
    return made;
  };
</script>`;
}
