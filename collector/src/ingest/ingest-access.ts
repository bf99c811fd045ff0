import type { Request, RequestHandler, Response } from 'express';
import { CollectorError } from '../errors.js';

/** Header a Node agent or a fetch-based browser exporter sends its ingest key in. */
export const INGEST_KEY_HEADER = 'x-closewatch-key';
const CORS_ALLOW_HEADERS = `content-type, content-encoding, ${INGEST_KEY_HEADER}`;
const CORS_MAX_AGE_SECONDS = 86_400;

export interface IngestAccessOptions {
  ingestKeys: readonly string[];
  allowedOrigins: readonly string[];
}

/** The ingest key of a request: the header, else `?key=` (what sendBeacon can carry). */
export function ingestKeyOf(req: Request): string | null {
  const header = req.headers[INGEST_KEY_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = req.query.key;
  return typeof query === 'string' && query !== '' ? query : null;
}

function setCorsHeaders(res: Response, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  // The browser agent backs off on 429/503 for as long as the collector asks.
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  res.append('Vary', 'Origin');
}

/**
 * Checks origin and ingest key from the headers alone, before any byte of the body is read, and adds
 * CORS headers for allowed browser origins. Requests without an Origin (server agents) skip the origin check.
 */
export function ingestAccess(options: IngestAccessOptions): RequestHandler {
  const keys = new Set(options.ingestKeys);
  const origins = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
  return function checkIngestAccess(req, res, next) {
    const origin = req.headers.origin;
    if (typeof origin === 'string') {
      if (origins.size > 0 && !origins.has(origin.toLowerCase())) {
        next(new CollectorError('forbidden', `Origin ${origin} is not allowed to send telemetry here.`));
        return;
      }
      setCorsHeaders(res, origin);
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS));
      res.status(204).end();
      return;
    }
    if (keys.size > 0) {
      const key = ingestKeyOf(req);
      if (key === null || !keys.has(key)) {
        next(new CollectorError('unauthorized', `A valid ingest key is required (header ${INGEST_KEY_HEADER} or ?key=).`));
        return;
      }
    }
    next();
  };
}
