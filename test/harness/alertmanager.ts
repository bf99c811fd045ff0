import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { optionsWithScope, runOnce, type CleanupScope, type ScopeOr } from './cleanup.js';
import { freePort } from './free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { StopWaiting, waitFor } from './wait-for.js';

export const alertmanagerPath = process.env.CLOSEWATCH_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerOptions {
  /** Every notification is POSTed here (Alertmanager webhook format), resolved ones too. */
  webhookUrl?: string;
  t?: CleanupScope;
}

/** One alert as Alertmanager's /api/v2/alerts lists it (the fields tests look at). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  startsAt: string;
  endsAt: string;
  /** The link back to the source (Closewatch sends its dashboard URL). */
  generatorURL: string;
}

export interface AlertmanagerHandle {
  /** http://127.0.0.1:PORT — pass as `alertmanagerUrl` to startPrometheus. */
  url: string;
  port: number;
  dir: string;
  /** The alerts Alertmanager currently holds. */
  alerts(): Promise<AlertmanagerAlert[]>;
  /** Resolves with the first alert whose `alertname` label matches. */
  waitForAlert(alertname: string, timeoutMs?: number): Promise<AlertmanagerAlert>;
  logs(): string;
  close(): Promise<void>;
}

/** alertmanager.yml routing everything to one receiver, with no grouping delay so tests see notifications at once. */
export function alertmanagerConfig({ webhookUrl }: Pick<AlertmanagerOptions, 'webhookUrl'>): string {
  const webhook = webhookUrl ? `\n    webhook_configs: [{ url: ${JSON.stringify(webhookUrl)}, send_resolved: true }]` : '';
  return `route:
  receiver: harness
  group_by: ["alertname"]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: harness${webhook}
`;
}

/** A real Alertmanager on a loopback port, clustering off, state in a temp dir. */
export async function startAlertmanager(scopeOrOptions?: ScopeOr<AlertmanagerOptions>): Promise<AlertmanagerHandle> {
  const options = optionsWithScope(scopeOrOptions);
  const dir = makeTempDir('alertmanager');
  const configPath = join(dir.path, 'alertmanager.yml');
  await writeFile(configPath, alertmanagerConfig(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const alertmanager: ManagedProcess = spawnManaged(alertmanagerPath, [
    `--config.file=${configPath}`,
    `--storage.path=${join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // An empty cluster address turns gossip off; otherwise it binds 0.0.0.0:9094.
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const close = runOnce(async function closeAlertmanager() {
    await alertmanager.stop('SIGTERM', 5000);
    await dir.remove();
  });

  async function alertmanagerIsReady(): Promise<boolean> {
    if (!alertmanager.isRunning()) throw new StopWaiting(`alertmanager exited: ${alertmanager.stderr().slice(-2000)}`);
    const response = await fetch(`${url}/-/ready`);
    return response.ok;
  }
  try {
    await waitFor(alertmanagerIsReady, { timeoutMs: 30_000, intervalMs: 100, message: 'alertmanager ready' });
  } catch (error) {
    await close();
    throw error;
  }
  options.t?.after(close);

  async function alerts(): Promise<AlertmanagerAlert[]> {
    const response = await fetch(`${url}/api/v2/alerts`);
    if (!response.ok) throw new Error(`alertmanager /api/v2/alerts answered ${response.status}`);
    return (await response.json()) as AlertmanagerAlert[];
  }

  async function waitForAlert(alertname: string, timeoutMs = 20_000): Promise<AlertmanagerAlert> {
    return waitFor(async () => (await alerts()).find((alert) => alert.labels.alertname === alertname), {
      timeoutMs,
      intervalMs: 200,
      message: `alert ${alertname} in alertmanager`,
    });
  }

  return { url, port, dir: dir.path, alerts, waitForAlert, logs: () => alertmanager.stderr(), close };
}
