import { guard } from './agent-errors.js';
import { install } from './agent.js';

/**
 * The IIFE entry, configured by its script tag: `data-endpoint` (default: the origin the script came
 * from, since the collector serves `/agent.js`; the page's origin when inlined), `data-key`,
 * `data-service`, `data-propagate-to` (comma-separated hosts or URL prefixes), `data-sample-rate`,
 * `data-flush-interval-ms`, `data-snapshot-interval-ms` (0: no periodic snapshots).
 */
guard(function initFromScriptTag() {
  const script = document.currentScript as HTMLScriptElement;
  install({ endpoint: script.src ? new URL(script.src).origin : location.origin, ...script.dataset });
})();
