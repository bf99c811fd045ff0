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
import { agentErrors } from './agent-errors.js';
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
  if (event.disposition !== 'enforce') return;
  for (const connection of liveConnections) {
    if (!blocked || !connection.requestedUrl.startsWith(blocked)) continue;
    connection.note(EVENT_SECURITY_POLICY_VIOLATION, undefined, {
      [ATTR_CSP_BLOCKED_URI]: scrubParsedUrl(new URL(event.blockedURI)),
      [ATTR_CSP_DIRECTIVE]: event.effectiveDirective,
    });
    connection.attributes[ATTR_ERROR_TYPE] = 'SecurityError';
  }
}

/**
 * Listens (capturing, on window) to the page's lifecycle and calls `pageOnLeave` when the page may
 * never run again (hidden or unloading); returns the undo.
 */
export function watchPageState(pageOnLeave: () => void): () => void {
  const types = Object.keys(pageSignals);
  function pageOnEvent(event: Event): void {
    const type = event.type;
    if (!event.isTrusted) return;
    try {
      if (type === 'securitypolicyviolation') return attachViolation(event as SecurityPolicyViolationEvent);
      const hidden = type === 'visibilitychange' && document.hidden;
      const [name, flag] = hidden ? hiddenSignal : pageSignals[type];
      for (const connection of liveConnections) connection.note(name, flag);
      // The page is going away and its sockets with it: no close event will reach the agent.
      if (type === 'pagehide') for (const connection of liveConnections) connection.end(GOING_AWAY, '', false);
      if (hidden || type === 'pagehide') pageOnLeave();
    } catch {
      agentErrors.count++;
    }
  }
  for (const type of types) addEventListener(type, pageOnEvent, true);
  return function stopWatchingPageState() {
    for (const type of types) removeEventListener(type, pageOnEvent, true);
  };
}
