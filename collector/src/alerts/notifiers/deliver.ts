import { postToTarget } from '../targets/post-to-target.js';
import { LOOPBACK_TARGET_POLICY, type AlertTargetPolicy } from '../targets/target-policy.js';
import type { NotificationTarget } from '../rule.js';
import type { AlertNotice } from '../notice.js';
import { alertmanagerPayload, slackPayload, webhookPayload } from './payloads.js';

export interface DeliveryOptions {
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { attempts: 4, baseDelayMs: 500, timeoutMs: 5000 };

function targetUrl(target: NotificationTarget): string {
  if (target.kind !== 'alertmanager') return target.url;
  const base = target.url.replace(/\/+$/, '');
  return base.endsWith('/api/v2/alerts') ? base : `${base}/api/v2/alerts`;
}

function payloadFor(target: NotificationTarget, notice: AlertNotice): unknown {
  if (target.kind === 'slack') return slackPayload(notice);
  if (target.kind === 'alertmanager') return alertmanagerPayload(notice);
  return webhookPayload(notice);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs the notice to one target, retrying with exponential backoff and jitter; a refused address or a
 * client error is not retried. Resolves to null on success or the last error message (which never holds
 * the target's response body); never rejects.
 */
export async function deliverNotice(
  target: NotificationTarget,
  notice: AlertNotice,
  options = DEFAULT_DELIVERY,
  policy: AlertTargetPolicy = LOOPBACK_TARGET_POLICY,
): Promise<string | null> {
  const body = JSON.stringify(payloadFor(target, notice));
  const url = targetUrl(target);
  let lastError = 'not attempted';
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    if (attempt > 0) await sleep(options.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
    const outcome = await postToTarget(url, body, policy, options.timeoutMs);
    if (outcome.ok) return null;
    lastError = `${target.kind} ${url}: ${outcome.problem}`;
    if (!outcome.retry) break;
  }
  return lastError;
}
