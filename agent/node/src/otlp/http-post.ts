import http from 'node:http';
import https from 'node:https';
import { isRetryableNetworkError, isRetryableStatus, retryAfterMillis } from './retry-policy.js';

/**
 * One POST of an export body and what its answer means, as `otlp-exporter-base` 0.223 classifies it
 * (`http-transport-utils.js`): 2xx accepted; 429/502/503/504, a timeout or a transient network error
 * worth retrying; anything else final.
 */

/** The SDK's limit: a larger answer is no OTLP response, and reading it on would only cost memory. */
export const MAX_RESPONSE_BODY_SIZE = 4 * 1024 * 1024;

export type PostOutcome =
  { status: 'success'; body: Buffer } | { status: 'retryable'; reason: string; retryInMillis?: number } | { status: 'failure'; reason: string };

export interface Post {
  url: URL;
  headers: http.OutgoingHttpHeaders;
  agent: http.Agent;
  body: Uint8Array;
  timeoutMillis: number;
}

function answerOf(response: http.IncomingMessage, body: Buffer): PostOutcome {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status <= 299) return { status: 'success', body };
  if (isRetryableStatus(status)) {
    const retryInMillis = retryAfterMillis(response.headers['retry-after']);
    return { status: 'retryable', reason: `HTTP ${status}`, ...(retryInMillis === undefined ? {} : { retryInMillis }) };
  }
  return { status: 'failure', reason: `HTTP ${status}` };
}

/** Posts once; never rejects. */
export function postOnce(post: Post): Promise<PostOutcome> {
  return new Promise((resolve) => {
    // The first outcome counts; later events (an error after a timeout, say) are ignored.
    let settled = false;
    function settle(outcome: PostOutcome): void {
      if (settled) return;
      settled = true;
      resolve(outcome);
    }
    try {
      const send = post.url.protocol === 'https:' ? https.request : http.request;
      const request = send(post.url, { method: 'POST', headers: post.headers, agent: post.agent }, function otlpPostOnResponse(response) {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', function otlpPostOnData(chunk: Buffer) {
          size += chunk.length;
          if (size > MAX_RESPONSE_BODY_SIZE) {
            settle({ status: 'failure', reason: `response larger than ${MAX_RESPONSE_BODY_SIZE} bytes` });
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.once('end', () => settle(answerOf(response, Buffer.concat(chunks))));
        response.once('error', function otlpPostOnResponseError(error) {
          // The body was accepted even if its answer broke off.
          const answer = answerOf(response, Buffer.alloc(0));
          settle(answer.status === 'failure' ? { status: 'failure', reason: error.message } : answer);
        });
      });
      request.setTimeout(post.timeoutMillis, function otlpPostOnTimeout() {
        request.destroy();
        settle({ status: 'retryable', reason: 'request timed out' });
      });
      request.on('error', function otlpPostOnError(error) {
        settle({ status: isRetryableNetworkError(error) ? 'retryable' : 'failure', reason: error.message });
      });
      request.end(post.body);
    } catch (error) {
      settle({ status: 'failure', reason: (error as Error).message });
    }
  });
}
