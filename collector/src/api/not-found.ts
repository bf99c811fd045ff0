import type { RequestHandler } from 'express';
import { CollectorError } from '../errors.js';

/** Last handler under `/api`: unknown API routes answer 404 in the catalog's shape, never the dashboard. */
export const apiNotFound: RequestHandler = function apiNotFound(req) {
  throw new CollectorError('not_found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}.`);
};
