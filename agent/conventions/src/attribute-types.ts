import * as A from './attributes.js';

/**
 * The value an attribute key of the contract takes: `int` an integer in [min, max], `duration` a
 * finite number of ms ≥ 0, `boolean`, `string`, `string[]`. Agents send these types; the collector
 * parses numeric and boolean strings on these keys once, at ingest, and drops what does not fit.
 */
export type AttributeType = { kind: 'int'; min: number; max: number } | { kind: 'duration' } | { kind: 'boolean' } | { kind: 'string' } | { kind: 'string[]' };

const COUNT: AttributeType = { kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER };
const DURATION: AttributeType = { kind: 'duration' };
const BOOLEAN: AttributeType = { kind: 'boolean' };
const STRING: AttributeType = { kind: 'string' };

/** Every span attribute key the contract defines, with its type. */
export const ATTRIBUTE_TYPES: Readonly<Record<string, AttributeType>> = {
  // a close frame carries the code as an unsigned 16-bit integer
  [A.ATTR_CLOSE_CODE]: { kind: 'int', min: 0, max: 65535 },
  [A.ATTR_CLOSE_REASON]: STRING,
  [A.ATTR_CLOSE_WAS_CLEAN]: BOOLEAN,
  [A.ATTR_CLOSE_INITIATOR]: STRING,
  [A.ATTR_CLOSE_DETAIL]: STRING,
  [A.ATTR_CLOSE_CALLED]: BOOLEAN,
  [A.ATTR_PHASE]: STRING,
  [A.ATTR_OPENED]: BOOLEAN,
  [A.ATTR_ROUTE]: STRING,
  [A.ATTR_URL_FULL]: STRING,
  [A.ATTR_SERVER_ADDRESS]: STRING,
  [A.ATTR_SERVER_PORT]: { kind: 'int', min: 0, max: 65535 },
  [A.ATTR_SUBPROTOCOLS_REQUESTED]: { kind: 'string[]' },
  [A.ATTR_SUBPROTOCOL]: STRING,
  [A.ATTR_EXTENSIONS]: STRING,
  [A.ATTR_HTTP_STATUS]: { kind: 'int', min: 100, max: 999 },
  [A.ATTR_HANDSHAKE_DURATION_MS]: DURATION,
  [A.ATTR_OPEN_DURATION_MS]: DURATION,
  [A.ATTR_IDLE_BEFORE_CLOSE_MS]: DURATION,
  [A.ATTR_MESSAGES_SENT]: COUNT,
  [A.ATTR_MESSAGES_RECEIVED]: COUNT,
  [A.ATTR_BYTES_SENT]: COUNT,
  [A.ATTR_BYTES_RECEIVED]: COUNT,
  [A.ATTR_BUFFERED_AMOUNT]: COUNT,
  [A.ATTR_TERMINATION]: STRING,
  [A.ATTR_CAUSE_HINT]: STRING,
  [A.ATTR_PROPAGATED]: BOOLEAN,
  [A.ATTR_ERROR_TYPE]: STRING,
  [A.ATTR_USER_AGENT]: STRING,
  [A.ATTR_CLIENT_ADDRESS]: STRING,
  [A.ATTR_BROWSER_ONLINE]: BOOLEAN,
  [A.ATTR_BROWSER_ONLINE_AT_START]: BOOLEAN,
  [A.ATTR_BROWSER_WENT_OFFLINE]: BOOLEAN,
  [A.ATTR_BROWSER_VISIBILITY_STATE]: STRING,
  [A.ATTR_BROWSER_WAS_HIDDEN]: BOOLEAN,
  [A.ATTR_BROWSER_PAGE_UNLOADING]: BOOLEAN,
  [A.ATTR_BROWSER_FROZEN]: BOOLEAN,
  [A.ATTR_NETWORK_EFFECTIVE_TYPE]: STRING,
  [A.ATTR_HANDSHAKE_HTTP_REACHABLE]: BOOLEAN,
  [A.ATTR_CSP_BLOCKED_URI]: STRING,
  [A.ATTR_CSP_DIRECTIVE]: STRING,
  [A.ATTR_SNAPSHOT_TRIGGER]: STRING,
  [A.ATTR_SNAPSHOT_INTERVAL_MS]: DURATION,
  [A.ATTR_SNAPSHOT_DELAY_MS]: DURATION,
  [A.ATTR_SINCE_LAST_SENT_MS]: DURATION,
  [A.ATTR_SINCE_LAST_RECEIVED_MS]: DURATION,
  [A.ATTR_APP_PROTOCOL]: STRING,
  [A.ATTR_APP_CLOSE_REASON]: STRING,
  [A.ATTR_APP_CONNECT_ERROR]: STRING,
  [A.ATTR_APP_PING_INTERVAL_MS]: DURATION,
  [A.ATTR_APP_PING_TIMEOUT_MS]: DURATION,
  [A.ATTR_EVENT_LOOP_STALL_MS]: DURATION,
};

/** Resource attribute keys the agents set. */
export const RESOURCE_ATTRIBUTE_KEYS: readonly string[] = [
  A.RESOURCE_SERVICE_NAME,
  A.RESOURCE_SERVICE_VERSION,
  A.RESOURCE_DEPLOYMENT_ENVIRONMENT,
  A.RESOURCE_SERVICE_INSTANCE_ID,
];
