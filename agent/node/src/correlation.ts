import { CORRELATION_PARAM, parseTraceparent, stripCorrelationParam } from '@closewatch/conventions';
import { ROOT_CONTEXT, TraceFlags, trace, type Context } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';

function contextFromTraceparent(value: unknown): Context | undefined {
  const parsed = parseTraceparent(value);
  if (!parsed) return undefined;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/**
 * Removes `__cw` from `req.url` (so neither verifyClient, nor `upgrade` listeners, nor the
 * `connection` handler see it) and returns the parent of the server span: the `__cw` traceparent,
 * else a `traceparent` header, else none (a server span with no parent expects no peer).
 */
export function takeUpgradeParent(req: IncomingMessage): Context {
  const requested = req.url ?? '';
  let traceparent: string | null = null;
  // Most upgrades carry no `__cw`: those skip splitting the URL.
  if (requested.includes(CORRELATION_PARAM)) {
    const stripped = stripCorrelationParam(requested);
    traceparent = stripped.traceparent;
    if (traceparent !== null) req.url = stripped.url;
  }
  return contextFromTraceparent(traceparent) ?? contextFromTraceparent(req.headers.traceparent) ?? ROOT_CONTEXT;
}
