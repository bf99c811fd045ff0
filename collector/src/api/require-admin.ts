import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AppDeps } from '../deps.js';
import { CollectorError } from '../errors.js';
import { hasAdminToken, isExposed } from '../exposure.js';
import { crossSiteRejection } from './cross-site.js';

/** Header carrying the admin token (`CLOSEWATCH_ADMIN_TOKEN`). */
export const ADMIN_TOKEN_HEADER = 'x-closewatch-token';

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws unless the request carries the configured admin token (no token configured: passes). */
function checkAdminToken(req: Request, expected: string | null, forWhat: string): void {
  if (expected === null || expected === '') return;
  const given = req.get(ADMIN_TOKEN_HEADER);
  if (given === undefined || given === '') {
    throw new CollectorError('unauthorized', `This collector requires an admin token in ${ADMIN_TOKEN_HEADER} for ${forWhat}.`);
  }
  if (!tokenMatches(given, expected)) throw new CollectorError('forbidden', 'The admin token is not valid.');
}

/**
 * Guards reads of the API when `readRequiresToken` is set (a collector whose data is not for
 * everyone who can reach it); otherwise reads stay open. `/config/public` always stays open.
 */
export function requireReader(deps: Pick<AppDeps, 'config'>): RequestHandler {
  return function requireReadToken(req, _res, next) {
    if (deps.config.readRequiresToken && req.path !== '/config/public') checkAdminToken(req, deps.config.adminToken, 'reads');
    next();
  };
}

/**
 * Guards write routes (alert rules): when an admin token is configured the request must carry it in
 * `x-closewatch-token`; a collector listening beyond loopback without a token refuses every write;
 * and every write must pass the CSRF check (custom header + same-origin). Mount it on write routes only.
 */
export function requireAdmin(deps: Pick<AppDeps, 'config'>): RequestHandler {
  return function requireAdminToken(req, _res, next) {
    const { config } = deps;
    if (!hasAdminToken(config) && isExposed(config)) {
      throw new CollectorError(
        'admin_token_not_set',
        `Writes are refused: this collector listens on ${config.host}, beyond loopback, and has no admin token. Set CLOSEWATCH_ADMIN_TOKEN and send it in ${ADMIN_TOKEN_HEADER}.`,
      );
    }
    checkAdminToken(req, config.adminToken, 'writes');
    const rejection = crossSiteRejection(req, config);
    if (rejection !== null) throw new CollectorError('csrf_rejected', rejection);
    next();
  };
}
