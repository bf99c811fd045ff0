import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { roundMs, type ProbeClock } from './clock.js';
import { withTimeout } from './deadline.js';
import { describeNetworkError, timeoutError } from './network-words.js';
import type { DnsStep, ResolvedAddress } from './report.js';

/** Resolves the host as the browser's resolver would (getaddrinfo), every address in order. */
export async function resolveHost(host: string, limitMs: number, clock: ProbeClock): Promise<DnsStep> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family !== 0) {
    const address: ResolvedAddress = { address: bare, family: family === 6 ? 6 : 4 };
    return { status: 'skipped', startMs: null, durationMs: null, error: null, host: bare, addresses: [address] };
  }
  const startMs = clock.now();
  const step: DnsStep = { status: 'ok', startMs: roundMs(startMs), durationMs: null, error: null, host: bare, addresses: [] };
  try {
    const found = await withTimeout(lookup(bare, { all: true }), limitMs);
    if (found === 'timeout') {
      step.status = 'failed';
      step.error = timeoutError('DNS resolution', limitMs);
    } else {
      step.addresses = found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
    }
  } catch (error) {
    step.status = 'failed';
    step.error = describeNetworkError(error);
  }
  step.durationMs = roundMs(clock.now() - startMs);
  return step;
}
