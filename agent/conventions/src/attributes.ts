/** Span name of the one span each agent records per WebSocket connection attempt. */
export const SPAN_NAME_CONNECTION = 'websocket.connection';

/** The `__cw` query parameter that carries a W3C traceparent from browser to server. */
export const CORRELATION_PARAM = '__cw';

/** Attribute keys of the `websocket.connection` span (docs/design.md). */
export const ATTR_CLOSE_CODE = 'websocket.close.code';
export const ATTR_CLOSE_REASON = 'websocket.close.reason';
export const ATTR_CLOSE_WAS_CLEAN = 'websocket.close.was_clean';
export const ATTR_CLOSE_INITIATOR = 'websocket.close.initiator';
export const ATTR_CLOSE_DETAIL = 'websocket.close.detail';
/** The application called close() while the socket was CONNECTING or OPEN (browser agent; absent: it did not). */
export const ATTR_CLOSE_CALLED = 'websocket.close.called';
/** `type` of the application message `closeWithDetail` sends before closing: `{ type, code, detail }`. */
export const CLOSE_DETAIL_MESSAGE_TYPE = 'closewatch.close';
export const ATTR_PHASE = 'websocket.phase';
export const ATTR_OPENED = 'websocket.opened';
export const ATTR_ROUTE = 'websocket.route';
export const ATTR_URL_FULL = 'url.full';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_SUBPROTOCOLS_REQUESTED = 'websocket.subprotocols.requested';
export const ATTR_SUBPROTOCOL = 'websocket.subprotocol';
export const ATTR_EXTENSIONS = 'websocket.extensions';
export const ATTR_HTTP_STATUS = 'http.response.status_code';
export const ATTR_HANDSHAKE_DURATION_MS = 'websocket.handshake.duration_ms';
export const ATTR_OPEN_DURATION_MS = 'websocket.open.duration_ms';
export const ATTR_IDLE_BEFORE_CLOSE_MS = 'websocket.idle_before_close_ms';
export const ATTR_MESSAGES_SENT = 'websocket.messages.sent';
export const ATTR_MESSAGES_RECEIVED = 'websocket.messages.received';
export const ATTR_BYTES_SENT = 'websocket.bytes.sent';
export const ATTR_BYTES_RECEIVED = 'websocket.bytes.received';
export const ATTR_BUFFERED_AMOUNT = 'websocket.buffered_amount';
export const ATTR_TERMINATION = 'websocket.termination';
export const ATTR_CAUSE_HINT = 'websocket.cause.hint';
export const ATTR_PROPAGATED = 'websocket.propagated';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_USER_AGENT = 'user_agent.original';
export const ATTR_CLIENT_ADDRESS = 'client.address';
export const ATTR_BROWSER_ONLINE = 'browser.online';
export const ATTR_BROWSER_ONLINE_AT_START = 'browser.online_at_start';
export const ATTR_BROWSER_WENT_OFFLINE = 'browser.went_offline';
export const ATTR_BROWSER_VISIBILITY_STATE = 'browser.visibility_state';
export const ATTR_BROWSER_WAS_HIDDEN = 'browser.was_hidden';
export const ATTR_BROWSER_PAGE_UNLOADING = 'browser.page_unloading';
export const ATTR_BROWSER_FROZEN = 'browser.frozen';
export const ATTR_NETWORK_EFFECTIVE_TYPE = 'network.connection.effective_type';

/**
 * The application protocol on top of WebSocket (`APP_PROTOCOLS`: socket.io, engine.io, graphql-ws),
 * its own close reason as this side's framework reports it (socket.io's `disconnect` reason, engine.io's
 * `close` reason) and the message of a refusal at its connect step (socket.io CONNECT_ERROR).
 */
export const ATTR_APP_PROTOCOL = 'websocket.app.protocol';
export const ATTR_APP_CLOSE_REASON = 'websocket.app.close_reason';
export const ATTR_APP_CONNECT_ERROR = 'websocket.app.connect_error';
/** engine.io's heartbeat settings as its open packet announced them, when that packet crossed this WebSocket. */
export const ATTR_APP_PING_INTERVAL_MS = 'websocket.app.ping_interval_ms';
export const ATTR_APP_PING_TIMEOUT_MS = 'websocket.app.ping_timeout_ms';
/** The longest pause of this process's event loop (no timer ran) shortly before the close; set from 1 s up. */
export const ATTR_EVENT_LOOP_STALL_MS = 'websocket.event_loop_stall_ms';

/** Resource attribute keys the agents set. */
export const RESOURCE_SERVICE_NAME = 'service.name';
export const RESOURCE_SERVICE_VERSION = 'service.version';
export const RESOURCE_DEPLOYMENT_ENVIRONMENT = 'deployment.environment.name';
export const RESOURCE_SERVICE_INSTANCE_ID = 'service.instance.id';

/** Span event names. */
export const EVENT_OPEN = 'websocket.open';
export const EVENT_ERROR = 'websocket.error';
export const EVENT_PING_TIMEOUT = 'websocket.ping_timeout';
export const EVENT_CLOSE_FRAME_SENT = 'websocket.close_sent';
export const EVENT_CLOSE_FRAME_RECEIVED = 'websocket.close_received';
export const EVENT_BROWSER_OFFLINE = 'browser.offline';
export const EVENT_BROWSER_ONLINE = 'browser.online';
export const EVENT_BROWSER_HIDDEN = 'browser.hidden';
export const EVENT_BROWSER_VISIBLE = 'browser.visible';
export const EVENT_BROWSER_FREEZE = 'browser.freeze';
export const EVENT_BROWSER_RESUME = 'browser.resume';
export const EVENT_BROWSER_PAGEHIDE = 'browser.pagehide';
export const EVENT_SECURITY_POLICY_VIOLATION = 'browser.securitypolicyviolation';

/** OTLP span kinds as numbers (the wire values). */
export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;

/**
 * Set by an agent that re-requested a failed handshake's URL over plain HTTP(S): true when any HTTP
 * answer came back (the endpoint is reachable but did not upgrade), false on a network error.
 */
export const ATTR_HANDSHAKE_HTTP_REACHABLE = 'websocket.handshake.http_reachable';

/** Attributes of the `browser.securitypolicyviolation` span event (a CSP report for a WebSocket URL). */
export const ATTR_CSP_BLOCKED_URI = 'csp.blocked_uri';
export const ATTR_CSP_DIRECTIVE = 'csp.directive';

/** Open-connection snapshots (docs/design.md; `snapshots.ts` has the rest of the contract): the span's name and its own keys. */
export const SPAN_NAME_SNAPSHOT = 'websocket.snapshot';

/** What made the agent take the snapshot: one of SNAPSHOT_TRIGGERS. */
export const ATTR_SNAPSHOT_TRIGGER = 'websocket.snapshot.trigger';
/** The agent's periodic interval when it took the snapshot, ms (0: periodic snapshots off). */
export const ATTR_SNAPSHOT_INTERVAL_MS = 'websocket.snapshot.interval_ms';
/** Time from taking the snapshot to sending it, ms, when it waited (one taken offline goes out once the browser is online again). */
export const ATTR_SNAPSHOT_DELAY_MS = 'websocket.snapshot.delay_ms';
/** Time from the socket's last send() to the snapshot, ms (absent: nothing sent yet). */
export const ATTR_SINCE_LAST_SENT_MS = 'websocket.since_last_sent_ms';
/** Time from the socket's last received message to the snapshot, ms (absent: nothing received yet). */
export const ATTR_SINCE_LAST_RECEIVED_MS = 'websocket.since_last_received_ms';
