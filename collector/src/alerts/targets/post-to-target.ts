import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ipFamily } from '../../address-ranges.js';
import { addressRefusal, urlHost, type AlertTargetPolicy } from './target-policy.js';

/** Redirects that keep the method and body; a 301/302/303 would turn the POST into a GET. */
const FOLLOWED_REDIRECTS = new Set([307, 308]);
const MAX_REDIRECTS = 3;

/** How one POST to a target ended; the target's response body is never read, so never shown. */
export type PostOutcome = { ok: true } | { ok: false; problem: string; retry: boolean };

/** A refused address, raised from inside the connection's own lookup. */
class TargetRefusedError extends Error {
  readonly code = 'ERR_CLOSEWATCH_TARGET_REFUSED';
}

/** dns.lookup that refuses what the policy refuses: the address checked is the address connected to (no DNS rebinding). */
function checkedLookup(policy: AlertTargetPolicy): LookupFunction {
  return function lookupCheckedTarget(hostname, options, callback) {
    policy.lookup(hostname, options, function onTargetAddresses(error, address, family) {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      for (const candidate of addresses) {
        const refusal = addressRefusal(candidate, policy);
        if (refusal !== null) return callback(new TargetRefusedError(`${hostname} resolves to ${refusal}`), address, family);
      }
      callback(null, address, family);
    });
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

function postOnce(url: URL, body: string, policy: AlertTargetPolicy, signal: AbortSignal): Promise<Answer> {
  const host = urlHost(url);
  const literalRefusal = ipFamily(host) === null ? null : addressRefusal(host, policy);
  if (literalRefusal !== null) return Promise.reject(new TargetRefusedError(literalRefusal));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise(function postToTarget(resolve, reject) {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'closewatch-alerts' },
        agent: false,
        lookup: checkedLookup(policy),
        signal,
      },
      function onTargetResponse(response) {
        response.resume();
        resolve({ status: response.statusCode ?? 0, headers: response.headers });
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

function redirectTarget(location: string | undefined, from: URL): URL | null {
  if (location === undefined) return null;
  try {
    return new URL(location, from);
  } catch {
    return null;
  }
}

/**
 * POSTs a JSON body to a target URL: http or https only, every address checked against the policy at
 * connect time, 307/308 redirects followed (at most 3) under the same checks, nothing else followed.
 */
export async function postToTarget(url: string, body: string, policy: AlertTargetPolicy, timeoutMs: number): Promise<PostOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') return { ok: false, problem: `${current.protocol} is not http or https`, retry: false };
    let answer: Answer;
    try {
      answer = await postOnce(current, body, policy, signal);
    } catch (error) {
      const refused = error instanceof TargetRefusedError;
      const where = hop === 0 ? '' : `redirected to ${current.origin}: `;
      return { ok: false, problem: `${where}${(error as Error).message}${refused ? ' (not sent)' : ''}`, retry: !refused };
    }
    if (answer.status >= 200 && answer.status < 300) return { ok: true };
    const next = answer.status >= 300 && answer.status < 400 ? redirectTarget(answer.headers.location, current) : null;
    if (next === null) return { ok: false, problem: `answered ${answer.status}`, retry: answer.status >= 500 || answer.status === 429 };
    if (!FOLLOWED_REDIRECTS.has(answer.status)) {
      return { ok: false, problem: `answered ${answer.status} to ${next.origin}; only 307 and 308 redirects are followed (they keep the POST)`, retry: false };
    }
    if (hop === MAX_REDIRECTS) return { ok: false, problem: `more than ${MAX_REDIRECTS} redirects`, retry: false };
    current = next;
  }
}
