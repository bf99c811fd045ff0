import {
  ATTR_BROWSER_FROZEN,
  ATTR_BROWSER_PAGE_UNLOADING,
  ATTR_BROWSER_WAS_HIDDEN,
  ATTR_BROWSER_WENT_OFFLINE,
  ATTR_CSP_DIRECTIVE,
  ATTR_ERROR_TYPE,
  CLOSE_GOING_AWAY,
} from '@closewatch/conventions';
import { guard } from './agent-errors.js';
import { liveConnections } from './connection-registry.js';

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

/**
 * Listens (capturing, on window) to the page's lifecycle, calls `pageOnSnapshot` when the page becomes
 * hidden, freezes or goes offline (conventions' snapshot triggers) or back online, and `pageOnLeave`
 * when the page may never run again (hidden or unloading); returns the undo.
 */
export function watchPageState(pageOnLeave: () => void, pageOnSnapshot: (trigger: string) => void): () => void {
  function pageOnEvent(event: Event): void {
    const type = event.type;
    const visibility = type == 'visibilitychange';
    const hidden = document.hidden;
    if (!event.isTrusted) return;
    // browser.<type>, and browser.hidden / browser.visible for visibilitychange: conventions' names.
    const name = 'browser.' + (visibility ? (hidden ? 'hidden' : 'visible') : type);
    const { blockedURI, disposition, effectiveDirective } = event as SecurityPolicyViolationEvent;
    for (const connection of liveConnections) {
      if (type != 'securitypolicyviolation') {
        connection.note_(name, visibility ? hidden && ATTR_BROWSER_WAS_HIDDEN : pageSignals[type]);
        // The page is going away and its sockets with it: no close event will reach the agent.
        if (type == 'pagehide') connection.end_(CLOSE_GOING_AWAY, '', false);
      } else if (disposition == 'enforce' && blockedURI && connection.requestedUrl_.startsWith(blockedURI)) {
        // A CSP report for a socket's URL is the only trace the browser leaves of why it blocked it
        // (report-only policies block nothing).
        connection.note_(name, '', { [ATTR_CSP_DIRECTIVE]: effectiveDirective });
        connection.attributes_[ATTR_ERROR_TYPE] = 'SecurityError';
      }
    }
    if ((visibility && hidden) || /^(off|on)line|^freeze/.test(type)) pageOnSnapshot(visibility ? 'hidden' : type);
    if ((visibility && hidden) || type == 'pagehide') pageOnLeave();
  }
  const guardedOnEvent = guard(pageOnEvent);
  function listen(method: typeof addEventListener): void {
    for (const type in pageSignals) method(type, guardedOnEvent, true);
  }
  listen(addEventListener);
  return function stopWatchingPageState() {
    listen(removeEventListener);
  };
}
