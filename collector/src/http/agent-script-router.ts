import { Router } from 'express';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CollectorError } from '../errors.js';

const require = createRequire(import.meta.url);
/** The browser agent's IIFE bundle, as exported by @closewatch/agent-browser. */
const AGENT_SPECIFIER = '@closewatch/agent-browser/iife';
const CACHE_SECONDS = 300;

/** Path of the built snippet, or null when the browser agent has not been built. */
export function resolveAgentScript(): string | null {
  try {
    const path = require.resolve(AGENT_SPECIFIER);
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * `GET /agent.js`: the browser snippet, cacheable and loadable from any page origin; to clients that
 * accept gzip (every browser), the build's precompressed stream (zopfli, smaller than compressing here).
 */
export function createAgentScriptRouter(): Router {
  const router = Router();
  router.get('/agent.js', function serveAgentScript(req, res, next) {
    const script = resolveAgentScript();
    if (script === null) {
      next(new CollectorError('not_found', 'The browser agent is not built: run `npm run build` (it builds agent/browser/dist/closewatch.iife.js).'));
      return;
    }
    const gzipped = `${script}.gz`;
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip' && existsSync(gzipped);
    const path = gzip ? gzipped : script;
    res.vary('Accept-Encoding');
    if (gzip) res.set('Content-Encoding', 'gzip');
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    });
    const options = { maxAge: CACHE_SECONDS * 1000, dotfiles: 'allow' as const, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } };
    res.sendFile(path, options, function agentScriptSent(error) {
      if (error) next(error);
    });
  });
  return router;
}
