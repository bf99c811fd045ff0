import { Router, type Request, type RequestHandler } from 'express';
import type { CollectorConfig } from '../config.js';
import { CollectorError } from '../errors.js';
import { markOtlpProtobuf } from '../http/error-handler.js';
import { decodeContentEncoding, readRawBody } from '../http/read-body.js';
import { decodeTraceRequest } from './decode-request.js';
import { ingestAccess, ingestKeyOf } from './ingest-access.js';
import { ingestTraceRequest, type IngestDeps } from './ingest-spans.js';
import { partialSuccessOf, sendExportResponse } from './otlp-response.js';
import type { OtlpEncoding } from './otlp-types.js';
import { RateLimiter } from './rate-limiter.js';

export interface IngestRouterDeps extends IngestDeps {
  config: CollectorConfig;
}

type Endpoint = '/v1/traces' | '/v1/beacon';

/** Seconds an overloaded collector asks clients to wait. */
const OVERLOAD_RETRY_AFTER_SECONDS = 1;

/** Media types each endpoint takes; the beacon takes what sendBeacon sends without a CORS preflight. */
const ENCODING_BY_MEDIA_TYPE: Record<Endpoint, Record<string, OtlpEncoding>> = {
  '/v1/traces': { 'application/json': 'json', 'application/x-protobuf': 'protobuf', 'application/protobuf': 'protobuf' },
  '/v1/beacon': { 'text/plain': 'json', 'application/json': 'json', '': 'json' },
};

function mediaTypeOf(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function encodingOf(req: Request, endpoint: Endpoint): OtlpEncoding {
  const mediaType = mediaTypeOf(req);
  const encoding = ENCODING_BY_MEDIA_TYPE[endpoint][mediaType];
  if (encoding) return encoding;
  const accepted = Object.keys(ENCODING_BY_MEDIA_TYPE[endpoint]).filter((type) => type !== '');
  throw new CollectorError('unsupported_media_type', `Unsupported content type "${mediaType}" on ${endpoint}; use ${accepted.join(' or ')}.`);
}

export function createIngestRouter(deps: IngestRouterDeps): Router {
  const { config, metrics } = deps;
  const router = Router();
  const limiter = new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst, deps.now);
  let inFlight = 0;

  function countRequests(endpoint: Endpoint): RequestHandler {
    return function countIngestRequest(req, res, next) {
      if (mediaTypeOf(req).endsWith('protobuf')) markOtlpProtobuf(res);
      res.once('finish', function ingestRequestFinished() {
        metrics.ingestRequestsTotal.inc({ endpoint, status: String(res.statusCode) });
      });
      next();
    };
  }

  const rateLimit: RequestHandler = function limitIngestRate(req, _res, next) {
    const waitSeconds = limiter.take(`${req.ip ?? ''}|${ingestKeyOf(req) ?? ''}`);
    if (waitSeconds > 0) next(new CollectorError('rate_limited', undefined, { retryAfterSeconds: waitSeconds }));
    else next();
  };

  const limitInFlight: RequestHandler = function limitInFlightRequests(_req, res, next) {
    if (inFlight >= config.maxInFlightRequests) {
      next(new CollectorError('overloaded', undefined, { retryAfterSeconds: OVERLOAD_RETRY_AFTER_SECONDS }));
      return;
    }
    inFlight++;
    res.once('close', function releaseInFlight() {
      inFlight--;
    });
    next();
  };

  function exportTraces(endpoint: Endpoint): RequestHandler {
    return async function handleTraceExport(req, res) {
      const encoding = encodingOf(req, endpoint);
      const raw = await readRawBody(req, config.maxBodyBytes);
      const body = await decodeContentEncoding(raw, req.headers['content-encoding'], config.maxBodyBytes);
      const result = await ingestTraceRequest(deps, decodeTraceRequest(body, encoding));
      sendExportResponse(res, encoding, partialSuccessOf(result));
    };
  }

  const methodNotAllowed: RequestHandler = function rejectMethod(_req, res, next) {
    res.setHeader('Allow', 'POST, OPTIONS');
    next(new CollectorError('method_not_allowed', 'Only POST (and OPTIONS for CORS preflight) is allowed here.'));
  };

  const access = ingestAccess(config);
  for (const endpoint of ['/v1/traces', '/v1/beacon'] as const) {
    router
      .route(endpoint)
      .options(access)
      .post(countRequests(endpoint), access, rateLimit, limitInFlight, exportTraces(endpoint))
      .all(countRequests(endpoint), methodNotAllowed);
  }
  return router;
}
