import { connect, type Socket } from 'node:net';
import { roundMs, type ProbeClock } from './clock.js';
import { remaining } from './deadline.js';
import { describeNetworkError, timeoutError } from './network-words.js';
import type { ResolvedAddress, StepError, TcpStep } from './report.js';

export interface TcpResult {
  step: TcpStep;
  socket: Socket | null;
}

/** Connects to each resolved address in turn until one accepts, like a browser falling back from IPv6 to IPv4. */
export async function connectTcp(addresses: ResolvedAddress[], port: number, deadlineMs: number, limitMs: number, clock: ProbeClock): Promise<TcpResult> {
  const startMs = clock.now();
  const step: TcpStep = { status: 'failed', startMs: roundMs(startMs), durationMs: null, error: null, address: null, port, attempts: [] };
  let socket: Socket | null = null;
  for (const { address } of addresses) {
    const attemptStart = clock.now();
    const left = remaining(deadlineMs, attemptStart);
    const outcome = left > 0 ? await connectOnce(address, port, left) : { socket: null, error: timeoutError('TCP connect', limitMs) };
    step.attempts.push({ address, port, durationMs: roundMs(clock.now() - attemptStart), error: outcome.error });
    if (outcome.socket) {
      socket = outcome.socket;
      step.status = 'ok';
      step.address = address;
      break;
    }
    step.error = outcome.error?.code === 'TIMEOUT' ? timeoutError('TCP connect', limitMs) : outcome.error;
    if (outcome.error?.code === 'TIMEOUT') break;
  }
  step.durationMs = roundMs(clock.now() - startMs);
  return { step, socket };
}

function connectOnce(host: string, port: number, limitMs: number): Promise<{ socket: Socket | null; error: StepError | null }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(function tcpConnectTimedOut() {
      socket.destroy();
      resolve({ socket: null, error: { code: 'TIMEOUT', message: 'TCP connect timed out' } });
    }, limitMs);
    socket.once('connect', function tcpOnConnect() {
      clearTimeout(timer);
      socket.removeListener('error', tcpOnError);
      resolve({ socket, error: null });
    });
    socket.once('error', tcpOnError);
    function tcpOnError(error: Error) {
      clearTimeout(timer);
      socket.destroy();
      resolve({ socket: null, error: describeNetworkError(error) });
    }
  });
}
