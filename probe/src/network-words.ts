import type { StepError } from './report.js';

const ERRNO_WORDS: Record<string, string> = {
  ENOTFOUND: 'no such host: the name does not resolve (typo, missing DNS record, or private name seen from outside)',
  EAI_AGAIN: 'DNS lookup failed temporarily: the resolver did not answer',
  ECONNREFUSED: 'connection refused: nothing is listening on that port (server down, wrong port, or firewall rejecting)',
  ECONNRESET: 'connection reset by the peer (RST): the server or something in between dropped the connection',
  ETIMEDOUT: 'timed out: no answer, packets are probably dropped by a firewall',
  EHOSTUNREACH: 'host unreachable: no route to the address',
  ENETUNREACH: 'network unreachable: no route to that network (e.g. IPv6 without IPv6 connectivity)',
  EPIPE: 'the connection was closed while the probe was writing',
  EADDRNOTAVAIL: 'the address cannot be used from this machine',
};

/** An errno in plain words, keeping the code for scripts. */
export function describeNetworkError(error: unknown): StepError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'ERROR';
  const message = ERRNO_WORDS[code] ?? (error instanceof Error ? error.message : String(error));
  return { code, message };
}

export function timeoutError(what: string, limitMs: number): StepError {
  return { code: 'TIMEOUT', message: `${what} did not finish within the ${limitMs} ms limit (--timeout)` };
}
