import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOnce, type CleanupScope } from './cleanup.js';
import { freePort } from './free-port.js';
import { spawnManaged } from './managed-process.js';
import { makeTempDir } from './temp-dir.js';
import { StopWaiting, waitFor } from './wait-for.js';

export const alertmanagerPath = process.env.CLOSEWATCH_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager';

/** An alert as Alertmanager's v2 API lists it (the fields tests look at). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  status: { state: string };
}

export interface AlertmanagerHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /** `GET /api/v2/alerts` (active and, with `all`, resolved/silenced too). */
  alerts(): Promise<AlertmanagerAlert[]>;
  logs(): string;
  close(): Promise<void>;
}

/** A real Alertmanager (Debian's prometheus-alertmanager) with clustering off and its data in a temp dir. */
export async function startAlertmanager(options: { t?: CleanupScope } = {}): Promise<AlertmanagerHandle> {
  const dir = makeTempDir('alertmanager');
  const configPath = join(dir.path, 'alertmanager.yml');
  await writeFile(configPath, 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const alertmanager = spawnManaged(alertmanagerPath, [
    `--config.file=${configPath}`,
    `--storage.path=${join(dir.path, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
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
    if (!response.ok) throw new Error(`alertmanager GET /api/v2/alerts answered ${response.status}`);
    return (await response.json()) as AlertmanagerAlert[];
  }
  return { url, alerts, logs: () => alertmanager.stderr(), close };
}
