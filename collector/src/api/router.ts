import { Router } from 'express';
import type { AppDeps } from '../deps.js';

/** The REST API under /api/v1 (mounted by createApp). */
export function createApiRouter(_deps: AppDeps): Router {
  return Router();
}
