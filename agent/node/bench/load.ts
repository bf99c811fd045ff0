import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** Opens a connection and closes it once open; resolves when the client saw `close`. */
export function openAndClose(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new WebSocket(url);
    client.once('open', () => client.close(1000));
    client.once('close', () => resolve());
    client.once('error', reject);
  });
}

/** `workers` loops of open+close until `durationMs` passed or `limit` connections completed; returns completed connections. */
export async function churn(url: string, { workers, durationMs = Infinity, limit = Infinity }: { workers: number; durationMs?: number; limit?: number }): Promise<number> {
  const deadline = performance.now() + durationMs;
  let started = 0;
  let completed = 0;
  async function worker(): Promise<void> {
    while (started < limit && performance.now() < deadline) {
      started++;
      await openAndClose(url);
      completed++;
    }
  }
  await Promise.all(Array.from({ length: workers }, worker));
  return completed;
}

function opened(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const client = new WebSocket(url);
    client.once('open', () => resolve(client));
    client.once('error', reject);
  });
}

/** Round trips of a 64-byte message on `connections` open connections (one in flight each) for `durationMs`. */
export async function roundTrips(url: string, { connections, durationMs }: { connections: number; durationMs: number }): Promise<number> {
  const clients = await Promise.all(Array.from({ length: connections }, () => opened(url)));
  const payload = 'x'.repeat(64);
  const deadline = performance.now() + durationMs;
  let count = 0;
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.on('message', function sendNext() {
            count++;
            if (performance.now() < deadline) client.send(payload);
            else resolve();
          });
          client.send(payload);
        }),
    ),
  );
  await Promise.all(clients.map((client) => new Promise((resolve) => {
    client.once('close', resolve);
    client.close(1000);
  })));
  return count;
}

/** Alternates baseline and instrumented rounds (cancelling drift in a shared machine's load); returns summed totals. */
export async function alternate(
  rounds: number,
  toggle: { enable(): void; disable(): void },
  measure: () => Promise<number>,
): Promise<{ baseline: number; instrumented: number; ratios: number[] }> {
  let baseline = 0;
  let instrumented = 0;
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Swap the order every round so neither side always runs first.
    const order = round % 2 === 0 ? [false, true] : [true, false];
    const result: Record<string, number> = {};
    for (const withAgent of order) {
      if (withAgent) toggle.enable();
      try {
        result[String(withAgent)] = await measure();
      } finally {
        if (withAgent) toggle.disable();
      }
    }
    baseline += result.false ?? 0;
    instrumented += result.true ?? 0;
    ratios.push((result.true ?? 0) / (result.false || 1));
  }
  return { baseline, instrumented, ratios };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
