import { Router } from 'express';
import { CollectorError } from '../errors.js';
import type { Store } from '../store/store.js';

/** A store that does not answer a ping within this is reported not ready. */
const READY_TIMEOUT_MS = 2000;

function pingWithTimeout(store: Store): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
  });
  return Promise.race([store.ping(), timeout]).finally(() => clearTimeout(timer));
}

/** `/healthz`: the process serves (never touches the store). `/readyz`: the store answers too. */
export function createHealthRouter(store: Store): Router {
  const router = Router();
  router.get('/healthz', function healthz(_req, res) {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async function readyz(_req, res) {
    try {
      await pingWithTimeout(store);
    } catch (error) {
      res.set('Cache-Control', 'no-store');
      throw new CollectorError('not_ready', `Not ready: the ${store.kind} store is unreachable (${(error as Error).message}).`, {
        retryAfterSeconds: 5,
        cause: error,
      });
    }
    res.set('Cache-Control', 'no-store').json({ status: 'ready', store: store.kind });
  });
  return router;
}
