import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Env, OtlpTarget } from '../otlp-target.js';
import { PACKAGE_VERSION } from '../version.js';
import { exportSettings, DEFAULT_EXPORT_TIMEOUT_MS, type OtlpCompression } from './export-settings.js';
import { partialSuccessOf, type PartialSuccess } from './export-response.js';
import { postOnce, type PostOutcome } from './http-post.js';
import { Backoff, MAX_RETRIES } from './retry-policy.js';

const gzipAsync = promisify(gzip);

export interface OtlpHttpSenderOptions {
  /** The traces URL, e.g. `OtlpTarget.url`. */
  url: string;
  /** Sent with every post, e.g. `OtlpTarget.headers` (the ingest key among them). */
  headers?: Record<string, string>;
  /** Per export, retries included; default 10 s. */
  timeoutMillis?: number;
  compression?: OtlpCompression;
  /** The jitter's source; tests fix it. */
  random?: () => number;
}

/** How one export ended, after its retries. Never an exception. */
export type SendResult =
  | { ok: true; attempts: number; partialSuccess?: PartialSuccess }
  | {
      ok: false;
      attempts: number;
      /** The last answer or error, e.g. `HTTP 503` or `connect ECONNREFUSED 127.0.0.1:4318`. */
      reason: string;
      /** True when the last answer was still retryable: the retries or the timeout ran out. */
      retryable: boolean;
    };

/** The User-Agent of every post. */
export const USER_AGENT = `closewatch-agent-node/${PACKAGE_VERSION}`;

/**
 * Posts OTLP/protobuf export bodies to one collector over a keep-alive connection, retrying like the
 * SDK exporter (retry-policy.ts): refused posts are tried again after `Retry-After` or a backoff, as long
 * as the retry would start within the export timeout. Waits between retries are unref'd: a process
 * whose work is done exits, and its `exit` hook posts what was still being retried.
 */
export class OtlpHttpSender {
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: http.Agent;
  private readonly timeoutMillis: number;
  private readonly compression: OtlpCompression;
  private readonly random: () => number;

  constructor(options: OtlpHttpSenderOptions) {
    this.url = new URL(options.url);
    this.headers = { ...options.headers, 'content-type': 'application/x-protobuf', 'user-agent': USER_AGENT };
    this.agent = this.url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.timeoutMillis = options.timeoutMillis ?? DEFAULT_EXPORT_TIMEOUT_MS;
    this.compression = options.compression ?? 'none';
    this.random = options.random ?? Math.random;
  }

  /** A sender to `target`, with the timeout and compression of the standard OTLP variables. */
  static forTarget(target: OtlpTarget, env: Env = process.env): OtlpHttpSender {
    return new OtlpHttpSender({ url: target.url, headers: target.headers, ...exportSettings(env) });
  }

  /** Posts one export body, retrying as the SDK would; resolves with how it ended, never rejects. */
  async send(body: Uint8Array): Promise<SendResult> {
    const deadline = Date.now() + this.timeoutMillis;
    let payload: Uint8Array;
    const headers: http.OutgoingHttpHeaders = { ...this.headers };
    try {
      payload = this.compression === 'gzip' ? await gzipAsync(body) : body;
    } catch (error) {
      return { ok: false, attempts: 0, reason: `gzip failed: ${(error as Error).message}`, retryable: false };
    }
    if (this.compression === 'gzip') headers['content-encoding'] = 'gzip';
    headers['content-length'] = payload.length;

    const backoff = new Backoff(this.random);
    let attempts = 1;
    let outcome = await this.post(payload, headers, this.timeoutMillis);
    while (outcome.status === 'retryable' && attempts <= MAX_RETRIES) {
      // The backoff grows with every retry, even one timed by Retry-After (as in the SDK).
      const backoffDelay = backoff.nextDelay();
      const delay = outcome.retryInMillis ?? backoffDelay;
      const remaining = deadline - Date.now();
      if (delay > remaining) break;
      await sleep(delay);
      attempts++;
      outcome = await this.post(payload, headers, deadline - Date.now());
    }
    if (outcome.status === 'success') {
      const partialSuccess = outcome.body.length > 0 ? partialSuccessOf(outcome.body) : undefined;
      return partialSuccess ? { ok: true, attempts, partialSuccess } : { ok: true, attempts };
    }
    return { ok: false, attempts, reason: outcome.reason, retryable: outcome.status === 'retryable' };
  }

  private post(body: Uint8Array, headers: http.OutgoingHttpHeaders, timeoutMillis: number): Promise<PostOutcome> {
    return postOnce({ url: this.url, headers, agent: this.agent, body, timeoutMillis: Math.max(timeoutMillis, 1) });
  }

  /** Closes its connections (after a flush: a post still under way fails). */
  shutdown(): void {
    this.agent.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
