import {
  ATTR_BROWSER_FROZEN,
  ATTR_BROWSER_PAGE_UNLOADING,
  ATTR_BROWSER_WAS_HIDDEN,
  ATTR_BROWSER_WENT_OFFLINE,
  ATTR_CSP_BLOCKED_URI,
  ATTR_CSP_DIRECTIVE,
  ATTR_ERROR_TYPE,
  EVENT_BROWSER_HIDDEN,
  EVENT_BROWSER_VISIBLE,
  EVENT_SECURITY_POLICY_VIOLATION,
} from '@closewatch/conventions';
import { guarded } from './agent-errors.js';
import { liveConnections } from './connection-registry.js';
import { scrubParsedUrl } from './scrub-url.js';

/**
 * The page events the agent listens to → the boolean attribute each sets on every live connection. Each
 * is also a span event, named `browser.<type>` (conventions' names), but for visibilitychange's two.
 */
const pageSignals: Record<string, string> = {
  offline: ATTR_BROWSER_WENT_OFFLINE,
  online: '',
  freeze: ATTR_BROWSER_FROZEN,
  resume: '',
  pagehide: ATTR_BROWSER_PAGE_UNLOADING,
  visibilitychange: '',
  securitypolicyviolation: '',
};

/** The close code a browser sends for sockets of a page that goes away (RFC 6455 1001). */
const GOING_AWAY = 1001;

/** A CSP report for a socket's URL is the only trace the browser leaves of why it blocked it. */
function attachViolation(event: SecurityPolicyViolationEvent): void {
  const blocked = event.blockedURI;
  // Report-only policies block nothing.
  if (event.disposition != 'enforce' || !blocked) return;
  for (const connection of liveConnections) {
    if (!connection.requestedUrl_.startsWith(blocked)) continue;
    connection.note_(EVENT_SECURITY_POLICY_VIOLATION, undefined, {
      [ATTR_CSP_BLOCKED_URI]: scrubParsedUrl(blocked),
      [ATTR_CSP_DIRECTIVE]: event.effectiveDirective,
    });
    connection.attributes_[ATTR_ERROR_TYPE] = 'SecurityError';
  }
}

/**
 * Listens (capturing, on window) to the page's lifecycle and calls `pageOnLeave` when the page may
 * never run again (hidden or unloading); returns the undo.
 */
export function watchPageState(pageOnLeave: () => void): () => void {
  function pageOnEvent(event: Event): void {
    const type = event.type;
    const hidden = type == 'visibilitychange' && document.hidden;
    if (!event.isTrusted) return;
    if (type == 'securitypolicyviolation') return attachViolation(event as SecurityPolicyViolationEvent);
    const name = hidden ? EVENT_BROWSER_HIDDEN : type == 'visibilitychange' ? EVENT_BROWSER_VISIBLE : 'browser.' + type;
    for (const connection of liveConnections) {
      connection.note_(name, hidden ? ATTR_BROWSER_WAS_HIDDEN : pageSignals[type]);
      // The page is going away and its sockets with it: no close event will reach the agent.
      if (type == 'pagehide') connection.end_(GOING_AWAY, '', false);
    }
    if (hidden || type == 'pagehide') pageOnLeave();
  }
  const guardedOnEvent = (event: Event) => guarded(pageOnEvent, event);
  function listen(method: typeof addEventListener): void {
    for (const type in pageSignals) method(type, guardedOnEvent, true);
  }
  listen(addEventListener);
  return function stopWatchingPageState() {
    listen(removeEventListener);
  };
}
