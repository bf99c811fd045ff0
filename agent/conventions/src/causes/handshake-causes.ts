import type { CauseEntry } from './cause-info.js';

type HandshakeCauseId =
  | 'handshake_auth_rejected'
  | 'handshake_http_rejected'
  | 'handshake_subprotocol_mismatch'
  | 'handshake_not_websocket'
  | 'handshake_blocked_by_browser'
  | 'handshake_timeout'
  | 'handshake_network_error'
  | 'handshake_aborted_by_client';

/** Causes of a connection that never reached OPEN. */
export const HANDSHAKE_CAUSES: Record<HandshakeCauseId, CauseEntry> = {
  handshake_auth_rejected: {
    phase: 'handshake',
    title: 'Upgrade rejected: not authenticated or not allowed',
    explanation:
      'The server answered the WebSocket upgrade request with HTTP 401 or 403 instead of 101 Switching Protocols, typically from a verifyClient callback, an auth middleware in front of the upgrade, or a proxy checking the session. A browser never shows this status to JavaScript: the page only gets a bare error event and then a close event with code 1006, which looks exactly like a network failure. Usually the credential the browser sent (a cookie, or a token in the query string) was missing, expired, or valid for another origin.',
    remediation:
      "Check the credential sent with the upgrade: browsers cannot set an Authorization header on a WebSocket, so use a cookie (mind SameSite and its domain) or a short-lived token in the query string, and refresh it before reconnecting instead of retrying with the stale one. On a ws server reject in verifyClient with cb(false, 401, 'reason') and log the reason. When a token expires after the connection is open, close with an application code such as 4001 via closeWithDetail so the client re-authenticates. `closewatch probe <url> --header 'Cookie: …'` shows the rejected response's body.",
  },
  handshake_http_rejected: {
    phase: 'handshake',
    title: 'Upgrade rejected with an HTTP error',
    explanation:
      'The server or a proxy answered the upgrade request with a status other than 101, 401 or 403: 400 for missing or malformed Upgrade / Sec-WebSocket-* headers, 404 for a path no WebSocket server listens on, 405 or 426, 429 for rate limiting, or 502/503 from a proxy with no healthy upstream. The browser hides the status and reports close code 1006, so from JavaScript it is indistinguishable from the network being down.',
    remediation:
      'Act on the status in the evidence. 400: make every proxy forward the upgrade (nginx: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"). 404: the path does not match the WebSocketServer `path` option or the proxy location. 429/503: the server is shedding load; reconnect with exponential backoff and jitter (1 s doubling to 30 s). 502: the upstream was down or not ready; add a readiness check. `closewatch probe <url>` prints the status line, headers and start of the body.',
  },
  handshake_subprotocol_mismatch: {
    phase: 'handshake',
    title: 'Subprotocol negotiation failed',
    explanation:
      'The client asked for one or more subprotocols (the second argument of new WebSocket(url, protocols)) and the server answered 101 without selecting one of them, or selected one the client did not offer. RFC 6455 requires the client to fail such a connection, so the browser drops it right after the server accepted it and reports 1006; the server sees a connection that opens and ends within milliseconds, without a close frame.',
    remediation:
      "Make the lists agree: the server must echo exactly one of the offered names in Sec-WebSocket-Protocol. With ws, return one of the offered names from handleProtocols(protocols, request) (it receives a Set) instead of false, and check that no proxy strips the Sec-WebSocket-Protocol header. If the client does not need a subprotocol, don't request one.",
  },
  handshake_not_websocket: {
    phase: 'handshake',
    title: 'The endpoint is not a WebSocket server',
    explanation:
      'Something answered the upgrade request, but not as a WebSocket server: a web server, a single-page-app fallback route or a proxy returned 200 with an HTML page, a redirect (browsers do not follow redirects for WebSockets) or another response without the upgrade, and no Closewatch server agent saw the request. The browser reports only 1006; a Node client reports "Unexpected server response".',
    remediation:
      'Compare the URL (ws/wss, host, port, path) with where the WebSocket server listens, and make sure every proxy routes this path to it with the Upgrade and Connection headers forwarded, before any catch-all or SPA fallback route. Do not rely on redirects (http→https, trailing slash). `closewatch probe <url>` shows what actually answered.',
  },
  handshake_blocked_by_browser: {
    phase: 'handshake',
    title: 'Blocked by the browser',
    explanation:
      "The browser refused to open the connection itself, without sending a request: the WebSocket constructor threw (SyntaxError for an invalid URL or a duplicate subprotocol, SecurityError for a blocked port or for ws:// from an https:// page, i.e. mixed content), or the page's Content-Security-Policy connect-src does not allow the URL. The failure takes about 0 ms and no server or proxy sees anything.",
    remediation:
      "Use wss:// on https:// pages and build the URL from the page location (`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`). Add the WebSocket origin to the CSP connect-src directive (older browsers do not match ws/wss with 'self'). Avoid ports browsers block (for example 6000 and 6665–6669) and duplicate subprotocol names.",
  },
  handshake_timeout: {
    phase: 'handshake',
    title: 'Handshake timed out',
    explanation:
      'The opening handshake did not complete within the limit of the browser, the client library or a proxy: the server accepted the TCP connection but did not answer the upgrade in time (event loop blocked, overloaded, waiting on a slow auth lookup), or a gateway gave up waiting for it (408, 504). The browser reports 1006 and does not say that it waited.',
    remediation:
      "Answer upgrades quickly: bound slow authorisation (for example 2 s) and reject with 503 when overloaded instead of letting requests hang. Check the server's event-loop lag and CPU at that time. On ws clients set handshakeTimeout (e.g. 10000 ms) so failures surface fast; Firefox gives up after network.websocket.timeout.open (20 s). Reconnect with backoff and jitter.",
  },
  handshake_network_error: {
    phase: 'handshake',
    title: 'Network error before any HTTP answer',
    explanation:
      'The connection failed before the server could answer: DNS could not resolve the host, the TCP connection was refused or timed out (nothing listening, a firewall, the server down), the device was offline, or the TLS handshake failed (expired or untrusted certificate, name mismatch). The browser reports 1006 and hides the error; a Node client sees ENOTFOUND, ECONNREFUSED, ETIMEDOUT or a certificate error.',
    remediation:
      'Resolve and connect to the host from the client network (`closewatch probe <url>` prints DNS, TCP and TLS errors). Check that the server listens on that interface and port, firewall and security-group rules, and the certificate chain and expiry. Reconnect with exponential backoff and jitter (1 s doubling to 30 s) so an outage does not turn into a reconnect storm.',
  },
  handshake_aborted_by_client: {
    phase: 'handshake',
    title: 'Closed by the client while connecting',
    explanation:
      'The application itself called close() (or terminate() on a ws client) while the socket was still CONNECTING, for example because a component unmounted, the route changed or a reconnect loop replaced the socket. The browser then reports 1006 ("WebSocket is closed before the connection is established"), which looks like a failure but is the application\'s own decision.',
    remediation:
      'Usually nothing to fix on the network. If these are frequent, avoid creating sockets that are thrown away at once: keep one socket per page or session, debounce reconnects, and in component effects ignore the 1006 of a socket you closed yourself. Exclude this cause from 1006 alerts.',
  },
};
