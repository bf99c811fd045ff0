import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { reportFigure } from '@closewatch/test/harness';

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
export async function churn(
  url: string,
  { workers, durationMs = Infinity, limit = Infinity }: { workers: number; durationMs?: number; limit?: number },
): Promise<number> {
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

export function openClients(url: string, count: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const client = new WebSocket(url);
          client.once('open', () => resolve(client));
          client.once('error', reject);
        }),
    ),
  );
}

export async function closeClients(clients: WebSocket[]): Promise<void> {
  await Promise.all(
    clients.map(
      (client) =>
        new Promise((resolve) => {
          client.once('close', resolve);
          client.close(1000);
        }),
    ),
  );
}

/** Round trips of a 64-byte message on already open `clients` (one in flight each) for `durationMs`. */
export async function roundTrips(clients: WebSocket[], durationMs: number, payload = 'x'.repeat(64)): Promise<number> {
  const deadline = performance.now() + durationMs;
  let count = 0;
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          function sendNext(): void {
            count++;
            if (performance.now() < deadline) {
              client.send(payload);
              return;
            }
            client.off('message', sendNext);
            resolve();
          }
          client.on('message', sendNext);
          client.send(payload);
        }),
    ),
  );
  return count;
}

export interface RoundResult {
  /** Work done per wall-clock second. */
  perSecond: number;
  /** Work done per CPU second of this process (the load generator shares it). */
  perCpuSecond: number;
}

/** Runs `work` and measures it by the wall clock and by this process's CPU time. */
export async function measured(work: () => Promise<number>): Promise<RoundResult> {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const count = await work();
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  return { perSecond: (count * 1000) / wallMs, perCpuSecond: (count * 1e6) / (cpu.user + cpu.system) };
}

export interface Comparison {
  /** Median over rounds of instrumented/baseline, by wall clock. */
  ratio: number;
  /** Middle half of the per-round wall-clock ratios: how much one round's ratio can be trusted. */
  ratioQuartiles: [number, number];
  /** The same by CPU time, which a machine shared with other jobs disturbs less. */
  cpuRatio: number;
  cpuRatioQuartiles: [number, number];
  baselinePerSecond: number;
  instrumentedPerSecond: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** First and third quartile (nearest rank). */
export function quartiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
  return [at(0.25), at(0.75)];
}

/** `0.912x [0.890–0.931]`: the median and the middle half of the rounds. */
export function formatRatio(ratio: number, [low, high]: [number, number]): string {
  return `${ratio.toFixed(3)}x [${low.toFixed(3)}–${high.toFixed(3)}]`;
}

/**
 * Alternates baseline and instrumented rounds, swapping which goes first every round so drift in
 * the machine's load cancels out; each round's ratio compares neighbours in time. After each switch
 * `settle` runs unmeasured: patching or unpatching prototypes deoptimises the hot http/net/ws code,
 * and a deployed agent pays that re-optimisation once at startup, not once per round.
 */
export async function compare(
  rounds: number,
  toggle: { enable(): void; disable(): void },
  round: () => Promise<RoundResult>,
  settle: () => Promise<unknown> = () => Promise.resolve(),
): Promise<Comparison> {
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  let baselinePerSecond = 0;
  let instrumentedPerSecond = 0;
  let enabled = false;
  async function measure(withAgent: boolean): Promise<RoundResult> {
    if (withAgent !== enabled) {
      if (withAgent) toggle.enable();
      else toggle.disable();
      enabled = withAgent;
      await settle();
    }
    return round();
  }
  try {
    for (let index = 0; index < rounds; index++) {
      let baseline: RoundResult | undefined;
      let instrumented: RoundResult | undefined;
      for (const withAgent of index % 2 === 0 ? [false, true] : [true, false]) {
        const result = await measure(withAgent);
        if (withAgent) instrumented = result;
        else baseline = result;
      }
      if (!baseline || !instrumented) continue;
      ratios.push(instrumented.perSecond / baseline.perSecond);
      cpuRatios.push(instrumented.perCpuSecond / baseline.perCpuSecond);
      baselinePerSecond += baseline.perSecond / rounds;
      instrumentedPerSecond += instrumented.perSecond / rounds;
    }
  } finally {
    if (enabled) toggle.disable();
  }
  return {
    ratio: median(ratios),
    ratioQuartiles: quartiles(ratios),
    cpuRatio: median(cpuRatios),
    cpuRatioQuartiles: quartiles(cpuRatios),
    baselinePerSecond,
    instrumentedPerSecond,
  };
}

export function verdict(ratio: number, target: number): string {
  return ratio >= target ? 'OK' : 'BELOW TARGET';
}

/** Churn load of the churn benches: concurrent clients, measured round, unmeasured settle after each switch. */
export interface ChurnShape {
  workers: number;
  roundMs: number;
  settleMs: number;
}

/**
 * Connection churn with and without `toggle`: warms both code paths (off, then on, 700 ms each), then
 * `compare`s `rounds` alternating measured churn rounds.
 */
export async function compareChurn(
  url: string,
  rounds: number,
  toggle: { enable(): void; disable(): void },
  { workers, roundMs, settleMs }: ChurnShape,
): Promise<Comparison> {
  for (const warm of [false, true]) {
    if (warm) toggle.enable();
    await churn(url, { workers, durationMs: 700 });
    if (warm) toggle.disable();
  }
  return compare(
    rounds,
    toggle,
    () => measured(() => churn(url, { workers, durationMs: roundMs })),
    () => churn(url, { workers, durationMs: settleMs }),
  );
}

/** The two figures of an agent-vs-none comparison for bench/REPORT.md: per wall-clock second and per CPU second. */
export function reportComparison(name: string, unit: string, result: Comparison, target: number, shape: string): void {
  const spread = (quartiles: [number, number]) => `middle half of rounds ${quartiles[0].toFixed(3)}–${quartiles[1].toFixed(3)}`;
  reportFigure({
    name: `${name}, per wall-clock second`,
    value: result.instrumentedPerSecond,
    unit,
    baseline: result.baselinePerSecond,
    baselineLabel: 'no agent',
    ratio: result.ratio,
    target: { op: '>=', ratio: target },
    note: `${shape}; ${spread(result.ratioQuartiles)}`,
  });
  reportFigure({
    name: `${name}, per CPU second`,
    ratio: result.cpuRatio,
    baselineLabel: 'no agent',
    target: { op: '>=', ratio: target },
    note: `work per CPU second of this process with the agent / without; ${spread(result.cpuRatioQuartiles)}`,
  });
}
