import type { CausesResponse, ClosePageResponse, ConnectionDetail, PublicConfig, SummaryResponse, TimeseriesResponse } from '@closewatch/conventions';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.js';
import { CollectorError } from '../errors.js';
import { chooseBucketMs } from './bucket.js';
import { intParam, parseCloseFilter, textParam, type RawQuery } from './close-filter.js';
import { connectionDetail } from './connection-detail.js';
import { publicConfig } from './public-config.js';
import { causeTaxonomy } from './taxonomy.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_TOP_N = 10;
const MAX_TOP_N = 100;
const MAX_CURSOR_LENGTH = 512;
/** Connection ids are `${traceId}-${spanId}` (49 chars); anything far longer cannot exist. */
const MAX_ID_LENGTH = 256;

function rawQuery(req: Request): RawQuery {
  return req.query;
}

/**
 * The read-only REST API, mounted by createApp at `/api/v1`. Alert routes are mounted next to it by
 * the alerts module; `apiNotFound` goes last under `/api`.
 */
export function createApiRouter(deps: AppDeps): Router {
  const router = Router();
  const now = (): number => deps.clock.now();

  router.get('/summary', async function getSummary(req, res) {
    const query = rawQuery(req);
    const filter = parseCloseFilter(query, now());
    const topN = intParam(query, 'top', DEFAULT_TOP_N, 1, MAX_TOP_N);
    const summary = await deps.store.summary(filter, topN);
    res.json({ from: filter.fromMs, to: filter.toMs, ...summary } satisfies SummaryResponse);
  });

  router.get('/timeseries', async function getTimeseries(req, res) {
    const query = rawQuery(req);
    const filter = parseCloseFilter(query, now());
    const bucketMs = chooseBucketMs(filter.fromMs, filter.toMs, textParam(query, 'bucket'));
    const series = await deps.store.timeseries(filter, bucketMs);
    res.json({ from: filter.fromMs, to: filter.toMs, ...series } satisfies TimeseriesResponse);
  });

  router.get('/closes', async function listCloses(req, res) {
    const query = rawQuery(req);
    const filter = parseCloseFilter(query, now());
    const limit = intParam(query, 'limit', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    const cursor = textParam(query, 'cursor', 'a cursor from nextCursor') ?? null;
    if (cursor !== null && cursor.length > MAX_CURSOR_LENGTH) {
      throw new CollectorError('invalid_filter', 'Invalid cursor: expected a cursor from nextCursor.');
    }
    const page = await deps.store.listCloses(filter, limit, cursor);
    res.json({ from: filter.fromMs, to: filter.toMs, ...page } satisfies ClosePageResponse);
  });

  router.get('/closes/:id', async function getClose(req, res) {
    const id = req.params.id;
    const record = id.length > MAX_ID_LENGTH ? null : await deps.store.getConnection(id);
    if (record === null) throw new CollectorError('not_found', `No connection with id ${JSON.stringify(id.slice(0, MAX_ID_LENGTH))}.`);
    const snapshot = (await deps.store.getSnapshots([record.id])).get(record.id) ?? null;
    res.json(connectionDetail(record, snapshot) satisfies ConnectionDetail);
  });

  router.get('/causes', function listCauses(_req, res) {
    res.json({ causes: causeTaxonomy() } satisfies CausesResponse);
  });

  router.get('/config/public', function getPublicConfig(_req, res) {
    res.json(publicConfig(deps.config) satisfies PublicConfig);
  });

  return router;
}
