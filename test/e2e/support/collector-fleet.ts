import { startCollectorProcess } from '../../../collector/test/support/collector-process.js';
import { startNginx, type CleanupScope, type ManagedProcess, type NginxHandle } from '../../harness/index.js';

/** One `closewatch start` child of a fleet. */
export interface FleetInstance {
  name: string;
  process: ManagedProcess;
  port: number;
  /** http://127.0.0.1:PORT, to reach this instance directly (metrics, readiness). */
  url: string;
}

export interface CollectorFleet {
  instances: FleetInstance[];
  /** nginx balancing round-robin over every instance. */
  balancer: NginxHandle;
}

/** Short enough for a test to see lone sides finalised, long enough for retried exports to join. */
export const FLEET_JOIN_WINDOW_MS = 15_000;

/**
 * `count` real `closewatch start` processes on one PostgreSQL database, each on its own loopback port,
 * behind nginx round-robin (no sticky sessions; `balancerConfig` is added to its location); all stopped after `t`.
 */
export async function startCollectorFleet(
  t: CleanupScope,
  databaseUrl: string,
  count: number,
  options: { env?: Record<string, string>; balancerConfig?: string } = {},
): Promise<CollectorFleet> {
  const instances = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<FleetInstance> => {
      const child = await startCollectorProcess(['--port', '0', '--database-url', databaseUrl], t, {
        CLOSEWATCH_JOIN_WINDOW_MS: String(FLEET_JOIN_WINDOW_MS),
        CLOSEWATCH_SWEEP_INTERVAL_MS: '200',
        CLOSEWATCH_ALERT_INTERVAL_MS: '1000',
        CLOSEWATCH_RATE_LIMIT_PER_SECOND: '0',
        ...options.env,
      });
      const port = Number(/listening on http:\/\/\S+:(\d+) /.exec(child.stderr())![1]);
      return { name: `collector-${index + 1}`, process: child, port, url: `http://127.0.0.1:${port}` };
    }),
  );
  const balancer = await startNginx({ upstreamPort: instances.map((instance) => instance.port), extraLocationConfig: options.balancerConfig ?? '', t });
  return { instances, balancer };
}
