import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CONFIG, type CollectorConfig } from '../../src/config.js';
import { createApp } from '../../src/create-app.js';
import type { WiredDeps } from '../../src/deps.js';
import type { Store } from '../../src/store/store.js';
import { wireDeps } from '../../src/wire-deps.js';

/** Ingest with no rate limit and room for the load generator's requests in flight. */
export const BENCH_CONFIG: CollectorConfig = { ...DEFAULT_CONFIG, rateLimitPerSecond: 0, maxInFlightRequests: 1000 };

export interface ServedApp {
  url: string;
  server: Server;
  deps: WiredDeps;
  /** Stops the server (a function of its own: callers destructure it). */
  close: () => Promise<void>;
}

/** The collector's app on a store, listening on a free loopback port in this process. */
export async function serveApp(store: Store, config: CollectorConfig = BENCH_CONFIG): Promise<ServedApp> {
  const deps = wireDeps({ store, clock: { now: () => Date.now() }, config, log: () => {} });
  const server = createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    deps,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
