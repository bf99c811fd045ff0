import {
  ATTR_BROWSER_FROZEN,
  ATTR_BROWSER_PAGE_UNLOADING,
  ATTR_BROWSER_WAS_HIDDEN,
  ATTR_BROWSER_WENT_OFFLINE,
  ATTR_CSP_BLOCKED_URI,
  ATTR_CSP_DIRECTIVE,
  ATTR_ERROR_TYPE,
  EVENT_BROWSER_FREEZE,
  EVENT_BROWSER_HIDDEN,
  EVENT_BROWSER_OFFLINE,
  EVENT_BROWSER_ONLINE,
  EVENT_BROWSER_PAGEHIDE,
  EVENT_BROWSER_RESUME,
  EVENT_BROWSER_VISIBLE,
  EVENT_SECURITY_POLICY_VIOLATION,
} from '@closewatch/conventions';
import { guarded } from './agent-errors.js';
import { liveConnections } from './connection-registry.js';
import { scrubParsedUrl } from './scrub-url.js';

/** The page events the agent listens to → the span event every live connection records, and the flag it sets. */
const pageSignals: Record<string, [event: string, flag?: string]> = {
  offline: [EVENT_BROWSER_OFFLINE, ATTR_BROWSER_WENT_OFFLINE],
  online: [EVENT_BROWSER_ONLINE],
  freeze: [EVENT_BROWSER_FREEZE, ATTR_BROWSER_FROZEN],
  resume: [EVENT_BROWSER_RESUME],
  pagehide: [EVENT_BROWSER_PAGEHIDE, ATTR_BROWSER_PAGE_UNLOADING],
  visibilitychange: [EVENT_BROWSER_VISIBLE],
  securitypolicyviolation: [EVENT_SECURITY_POLICY_VIOLATION],
};
const hiddenSignal: [string, string] = [EVENT_BROWSER_HIDDEN, ATTR_BROWSER_WAS_HIDDEN];

/** The close code a browser sends for sockets of a page that goes away (RFC 6455 1001). */
const GOING_AWAY = 1001;

/** A CSP report for a socket's URL is the only trace the browser leaves of why it blocked it. */
function attachViolation(event: SecurityPolicyViolationEvent): void {
  const blocked = event.blockedURI;
  // Report-only policies block nothing.
  if (event.disposition !== 'enforce' || !blocked) return;
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
    const hidden = type === 'visibilitychange' && document.hidden;
    const leaving = hidden || type === 'pagehide';
    if (!event.isTrusted) return;
    if (type === 'securitypolicyviolation') return attachViolation(event as SecurityPolicyViolationEvent);
    const [name, flag] = hidden ? hiddenSignal : pageSignals[type];
    for (const connection of liveConnections) {
      connection.note_(name, flag);
      // The page is going away and its sockets with it: no close event will reach the agent.
      if (type === 'pagehide') connection.end_(GOING_AWAY, '', false);
    }
    if (leaving) pageOnLeave();
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
