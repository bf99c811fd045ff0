import { startDemoTracing } from './demo-tracing.js';
import { startFleetServer } from './fleet-server.js';
import { scenarioDeck, type Random } from './scenarios.js';

export interface FleetRunOptions {
  collectorUrl: string;
  key: string | null;
  durationMs: number;
  rate: number;
  random?: Random;
  heartbeatIntervalMs?: number;
}

export interface FleetRun {
  startedAtMs: number;
  endedAtMs: number;
  /** Connections started, per scenario id. */
  byScenario: Map<string, number>;
  launched: number;
}

/**
 * Instruments ws with the real agent, starts the fleet server and opens `rate` clients a second for
 * `durationMs`, each driven by the next scenario of the deck; resolves once every client ended and
 * every span was exported.
 */
export async function runFleet(options: FleetRunOptions): Promise<FleetRun> {
  const tracing = startDemoTracing(options.collectorUrl, options.key);
  const startedAtMs = Date.now();
  const byScenario = new Map<string, number>();
  const clientsEnded: Promise<void>[] = [];
  const nextScenario = scenarioDeck(options.random ?? Math.random);
  const planned = Math.max(1, Math.round((options.durationMs / 1000) * options.rate));
  try {
    const server = await startFleetServer({ heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000 });
    try {
      await new Promise<void>((resolve) => {
        const timer = setInterval(function launchClient() {
          const scenario = nextScenario();
          byScenario.set(scenario.id, (byScenario.get(scenario.id) ?? 0) + 1);
          clientsEnded.push(scenario.start(server.url, options.random ?? Math.random).closed);
          if (clientsEnded.length >= planned) {
            clearInterval(timer);
            resolve();
          }
        }, 1000 / options.rate);
      });
      await Promise.all(clientsEnded);
    } finally {
      await server.close();
    }
    await tracing.flush();
  } finally {
    await tracing.stop();
  }
  return { startedAtMs, endedAtMs: Date.now(), byScenario, launched: clientsEnded.length };
}
