import { guarded } from './agent-errors.js';
import { init } from './agent.js';

/**
 * The IIFE entry: the script tag configures the agent with `data-endpoint` (default: the origin the
 * script came from, since the collector serves `/agent.js`), `data-key`, `data-service`,
 * `data-propagate-to` (comma-separated hosts or URL prefixes), `data-sample-rate`, `data-flush-interval-ms`.
 */
guarded(function initFromScriptTag() {
  const script = document.currentScript as HTMLScriptElement;
  init({ endpoint: new URL(script.src).origin, ...script.dataset });
});
