import * as A from './attributes.js';

/**
 * Instrumentation scope of the browser agent's spans: its package name. The collector completes the
 * attributes of spans of this scope with `completeBrowserAttributes`.
 */
export const BROWSER_AGENT_SCOPE = '@closewatch/agent-browser';

/**
 * The browser snippet's wire keys (`/agent.js`, the IIFE every page downloads): one short key per
 * attribute the snippet sets, because the keys' own text is ~190 bytes of its gzip budget. The
 * collector expands them on ingest, so everything it stores, shows and classifies uses the docs/design.md
 * keys; the ESM package (`init()` in a bundle) sends the full keys of docs/design.md themselves. Durations (`_ms`
 * keys, OTLP doubles) keep an `ms` ending, by which the snippet types them. A wire contract: never
 * reuse a short key for another attribute.
 */
export const SNIPPET_KEYS: Readonly<Record<string, string>> = {
  [A.ATTR_CLOSE_CODE]: 'c',
  [A.ATTR_CLOSE_REASON]: 'r',
  [A.ATTR_CLOSE_WAS_CLEAN]: 'w',
  [A.ATTR_CLOSE_INITIATOR]: 'i',
  [A.ATTR_CLOSE_CALLED]: 'C',
  [A.ATTR_PHASE]: 'p',
  [A.ATTR_OPENED]: 'o',
  [A.ATTR_URL_FULL]: 'u',
  [A.ATTR_SUBPROTOCOLS_REQUESTED]: 'q',
  [A.ATTR_SUBPROTOCOL]: 's',
  [A.ATTR_EXTENSIONS]: 'x',
  [A.ATTR_HANDSHAKE_DURATION_MS]: 'hms',
  [A.ATTR_OPEN_DURATION_MS]: 'oms',
  [A.ATTR_IDLE_BEFORE_CLOSE_MS]: 'ims',
  [A.ATTR_MESSAGES_SENT]: 'm',
  [A.ATTR_MESSAGES_RECEIVED]: 'M',
  [A.ATTR_BYTES_SENT]: 'b',
  [A.ATTR_BYTES_RECEIVED]: 'B',
  [A.ATTR_BUFFERED_AMOUNT]: 'a',
  [A.ATTR_PROPAGATED]: 'P',
  [A.ATTR_ERROR_TYPE]: 'e',
  [A.ATTR_BROWSER_ONLINE]: 'n',
  [A.ATTR_BROWSER_ONLINE_AT_START]: 'N',
  [A.ATTR_BROWSER_WENT_OFFLINE]: 'f',
  [A.ATTR_BROWSER_VISIBILITY_STATE]: 'v',
  [A.ATTR_BROWSER_WAS_HIDDEN]: 'h',
  [A.ATTR_BROWSER_PAGE_UNLOADING]: 'U',
  [A.ATTR_BROWSER_FROZEN]: 'z',
  [A.ATTR_NETWORK_EFFECTIVE_TYPE]: 't',
  [A.ATTR_CSP_BLOCKED_URI]: 'k',
  [A.ATTR_CSP_DIRECTIVE]: 'd',
  [A.ATTR_SNAPSHOT_TRIGGER]: 'g',
  [A.ATTR_SNAPSHOT_INTERVAL_MS]: 'gms',
  [A.ATTR_SNAPSHOT_DELAY_MS]: 'dms',
  [A.ATTR_SINCE_LAST_SENT_MS]: 'lms',
  [A.ATTR_SINCE_LAST_RECEIVED_MS]: 'Lms',
};

const FULL_KEYS: ReadonlyMap<string, string> = new Map(Object.entries(SNIPPET_KEYS).map(([full, short]) => [short, full]));

/** Browser flags the agent sends only once they are true. */
const FLAGS_FALSE_UNLESS_SENT = [A.ATTR_BROWSER_WENT_OFFLINE, A.ATTR_BROWSER_FROZEN, A.ATTR_BROWSER_PAGE_UNLOADING, A.ATTR_PROPAGATED];

/**
 * Attributes (of a browser-agent span event) with the snippet's short keys replaced by the docs/design.md
 * keys; other keys are kept, and a full key already present wins over its short key. Returns a copy.
 */
export function expandSnippetKeys<V>(attributes: Record<string, V>): Record<string, V> {
  const expanded: Record<string, V> = {};
  for (const key in attributes) {
    const full = FULL_KEYS.get(key) ?? key;
    if (!(full in expanded) || full === key) expanded[full] = attributes[key];
  }
  return expanded;
}

/**
 * The attributes of a browser-agent `websocket.connection` span as docs/design.md describes them. The agent
 * leaves out what follows from the rest, to stay small: it sends short keys (the snippet), flags only
 * when true, and whether the app called close() (`websocket.close.called`) instead of the phase and
 * the initiator, which are derived here: handshake unless it opened, then closing if the app had called
 * close() and the closing handshake never completed (as the Node agent records it), else open: a close the
 * app began on an open socket that completed cleanly ended from the open phase. The initiator is the client
 * if it called close(), else the server for a clean close, else unknown. Values the span does carry are
 * kept. Returns a copy.
 */
export function completeBrowserAttributes<V>(attributes: Record<string, V>): Record<string, V | string | boolean> {
  const complete: Record<string, V | string | boolean> = expandSnippetKeys(attributes);
  const closeCalled = complete[A.ATTR_CLOSE_CALLED] === true;
  for (const flag of FLAGS_FALSE_UNLESS_SENT) complete[flag] ??= false;
  complete[A.ATTR_PHASE] ??= complete[A.ATTR_OPENED] !== true ? 'handshake' : closeCalled && complete[A.ATTR_CLOSE_WAS_CLEAN] !== true ? 'closing' : 'open';
  complete[A.ATTR_CLOSE_INITIATOR] ??= closeCalled ? 'client' : complete[A.ATTR_CLOSE_WAS_CLEAN] === true ? 'server' : 'unknown';
  return complete;
}
