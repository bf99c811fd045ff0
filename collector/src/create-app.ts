import express, { type Express } from 'express';
import { createAlertsRouter } from './alerts/router.js';
import { apiNotFound } from './api/not-found.js';
import { requireReader } from './api/require-admin.js';
import { createApiRouter } from './api/router.js';
import { createFleetRouter } from './api/fleet-router.js';
import { createDashboardRouter } from './dashboard/router.js';
import type { AppDeps } from './deps.js';
import { createAgentScriptRouter } from './http/agent-script-router.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { createHealthRouter } from './http/health-router.js';
import { createMetricsRouter } from './http/metrics-router.js';
import { createIngestRouter } from './ingest/ingest-router.js';
import { SideWriter } from './ingest/side-writer.js';
import { classifyOptionsFor } from './join/proxy-timeouts.js';
import { wireDeps } from './wire-deps.js';

/** The collector's HTTP app, built from its dependencies; it does not listen (startCollector does). */
export function createApp(deps: AppDeps): Express {
  const wired = wireDeps(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', wired.config.trustProxy);
  const now = () => wired.clock.now();
  app.use(
    createIngestRouter({
      store: wired.store,
      metrics: wired.metrics,
      now,
      pending: wired.pending,
      writer: new SideWriter({
        store: wired.store,
        metrics: wired.metrics,
        now,
        classifyOptions: classifyOptionsFor(wired.config.proxyTimeouts, {
          minConnections: wired.config.massDropMinConnections,
          windowMs: wired.config.massDropWindowMs,
        }),
      }),
      config: wired.config,
      joinWindowMs: wired.config.joinWindowMs,
      maxPendingConnections: wired.config.maxPendingConnections,
    }),
  );
  app.use(createHealthRouter(wired.store));
  app.use(createMetricsRouter(wired.metrics));
  app.use(createAgentScriptRouter());
  app.use('/api/v1', requireReader(wired), createApiRouter(wired), createFleetRouter(wired), createAlertsRouter(wired));
  app.use('/api', apiNotFound);
  app.use('/', createDashboardRouter(wired));
  app.use(notFoundHandler());
  app.use(errorHandler(wired.log));
  return app;
}
