import type { Socket } from 'node:net';
import { scrubUrl } from '@closewatch/conventions';
import { createWebSocketKey } from './accept-key.js';
import { roundMs, startClock, type ProbeClock } from './clock.js';
import { remaining } from './deadline.js';
import { resolveHost } from './dns-step.js';
import { emptyHoldStep, holdConnection } from './hold-step.js';
import { collectNotes } from './notes.js';
import { SETTLE_MS, type ProbeOptions } from './options.js';
import { PROBE_REPORT_SCHEMA, type ProbeReport, type ProbeSteps } from './report.js';
import { SocketTap } from './socket-tap.js';
import { connectTcp } from './tcp-step.js';
import { skippedTls, startTls } from './tls-step.js';
import { emptyUpgradeStep, performUpgrade } from './upgrade-step.js';
import { decideVerdict } from './verdict.js';

/** Exit codes of `closewatch probe` (documented in probe/README.md). */
export const EXIT_OK = 0;
export const EXIT_PROBLEM = 1;
export const EXIT_USAGE = 2;

/** Runs every step a browser's connection goes through, in order, stopping at the first that fails. */
export async function runProbe(options: ProbeOptions, interrupt?: AbortSignal): Promise<ProbeReport> {
  const clock = startClock();
  const startedAt = new Date().toISOString();
  const steps = await runSteps(options, clock, interrupt);
  const verdict = decideVerdict(steps, options);
  return {
    schema: PROBE_REPORT_SCHEMA,
    url: scrubUrl(options.url.href),
    startedAt,
    durationMs: roundMs(clock.now()),
    notes: collectNotes(steps, options),
    steps,
    verdict,
    exitCode: verdict.ok ? EXIT_OK : EXIT_PROBLEM,
  };
}

async function runSteps(options: ProbeOptions, clock: ProbeClock, interrupt: AbortSignal | undefined): Promise<ProbeSteps> {
  const { url, timeoutMs } = options;
  const secure = url.protocol === 'wss:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const dns = await resolveHost(url.hostname, timeoutMs, clock);
  const steps: ProbeSteps = {
    dns,
    tcp: { status: 'not_reached', startMs: null, durationMs: null, error: null, address: null, port, attempts: [] },
    tls: secure ? { ...skippedTls(), status: 'not_reached' } : skippedTls(),
    upgrade: emptyUpgradeStep(options.protocols),
    hold: emptyHoldStep(options.holdMs ?? SETTLE_MS, options.pingIntervalMs),
  };
  if (dns.status === 'failed' || dns.addresses.length === 0) return steps;
  const tcp = await connectTcp(dns.addresses, port, timeoutMs, timeoutMs, clock);
  steps.tcp = tcp.step;
  if (!tcp.socket) return steps;
  const tap = secure ? await secureTap(tcp.socket, steps, options, clock) : new SocketTap(tcp.socket, clock);
  if (!tap) return steps;
  try {
    await talkWebSocket(tap, steps, options, clock, interrupt);
  } finally {
    tap.destroy();
  }
  return steps;
}

/** TLS over the TCP socket; null (socket closed) when it fails or the certificate is refused without --insecure. */
async function secureTap(tcp: Socket, steps: ProbeSteps, options: ProbeOptions, clock: ProbeClock): Promise<SocketTap | null> {
  const tls = await startTls(tcp, options.url.hostname.replace(/^\[|\]$/g, ''), remaining(options.timeoutMs, clock.now()), options.timeoutMs, clock);
  steps.tls = tls.step;
  if (!tls.socket) {
    tcp.destroy();
    return null;
  }
  if (tls.step.verificationError && !options.insecure) {
    // A browser stops here, so the step fails; with --insecure it only leaves a note.
    tls.step.status = 'failed';
    tls.step.error = tls.step.verificationError;
    tls.socket.destroy();
    return null;
  }
  return new SocketTap(tls.socket, clock, tcp);
}

async function talkWebSocket(tap: SocketTap, steps: ProbeSteps, options: ProbeOptions, clock: ProbeClock, interrupt: AbortSignal | undefined): Promise<void> {
  steps.upgrade = await performUpgrade(tap, options, createWebSocketKey(), options.timeoutMs, clock);
  if (steps.upgrade.status !== 'ok') return;
  const plan = { holdMs: options.holdMs ?? SETTLE_MS, pingIntervalMs: options.pingIntervalMs, openedAtMs: clock.now(), interrupt };
  steps.hold = await holdConnection(tap, plan, clock);
}
