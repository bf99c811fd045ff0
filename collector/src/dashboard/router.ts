import express, { Router } from 'express';
import type { AppDeps } from '../deps.js';
import { dashboardDistDir } from './dist-dir.js';
import { setDashboardHeaders } from './security-headers.js';

const NOT_BUILT = 'The dashboard is not built: run `npx turbo run build` (or `npm run build -w dashboard`).\n';

/**
 * Serves the built dashboard (dashboard/dist) at / with a strict Content-Security-Policy. Pages are
 * hash-routed (`/#/overview?from=now-24h`), so only the files themselves are served here.
 */
export function createDashboardRouter(_deps: AppDeps, distDir: string | null = dashboardDistDir()): Router {
  const router = Router();
  if (distDir === null) {
    router.get('/', function dashboardNotBuilt(_req, res) {
      setDashboardHeaders(res);
      res.status(503).type('text/plain').send(NOT_BUILT);
    });
    return router;
  }
  router.use(express.static(distDir, { index: 'index.html', redirect: false, setHeaders: setDashboardHeaders }));
  return router;
}
