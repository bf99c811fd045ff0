import { Router } from 'express';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';

/** `GET /metrics` in the Prometheus text format. */
export function createMetricsRouter(metrics: CollectorMetrics): Router {
  const router = Router();
  router.get('/metrics', async function exposeMetrics(_req, res) {
    const text = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return router;
}
