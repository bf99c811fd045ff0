import type { CauseEntry } from './cause-info.js';

type AppProtocolCauseId = 'client_heartbeat_timeout' | 'app_connect_rejected' | 'app_init_timeout';

/** Causes that an app protocol on top of WebSocket (socket.io / engine.io, graphql-ws) decides. */
export const APP_PROTOCOL_CAUSES: Record<AppProtocolCauseId, CauseEntry> = {
  client_heartbeat_timeout: {
    phase: 'open',
    title: 'Client heartbeat timed out: the server went silent',
    explanation:
      'The client stopped hearing from the server and gave up. An engine.io / socket.io client closes the connection when no ping arrives within pingInterval + pingTimeout (25 s + 20 s by default) and reports "ping timeout", while the server only sees the client leave ("transport close"). The server did not send: its event loop was blocked (a long synchronous task, a GC pause, CPU starvation, a stopped or swapped-out process), or a proxy held its frames back. The close itself is clean (1005), so without both records it looks like the user left; if the server stayed silent past ws\'s 30 s closing timeout, the client reports 1006.',
    remediation:
      "Look at the server's event-loop lag and CPU at that time (the Node agent records websocket.event_loop_stall_ms when its timers stalled for a second or more): move long synchronous work to worker_threads, watch GC pauses and CPU limits (Kubernetes CPU throttling). Keep pingInterval below every proxy idle timeout (nginx proxy_read_timeout is 60 s; socket.io's 25 s fits) and pingTimeout long enough for a busy server. Background tabs throttle timers (Chrome: once a minute after 5 minutes hidden): keep clients on socket.io 4 (engine.io protocol 4, the server pings) rather than v2, whose clients ping from those timers.",
  },
  app_connect_rejected: {
    phase: 'open',
    title: 'The application refused the client at connect',
    explanation:
      'The WebSocket upgrade succeeded, then the application protocol refused the client in its own connect step: a socket.io middleware called next(new Error(…)) (the client gets connect_error with that message and closes, without reconnecting), a namespace does not exist ("Invalid namespace"), or a graphql-ws server closed with 4401 Unauthorized or 4403 Forbidden (onConnect returned false, or a Subscribe came before the connection was acknowledged). The close is clean and often started by the client, so it looks like a normal leave.',
    remediation:
      "Treat it as an authentication failure: refresh the credential (socket.io's auth option, graphql-ws connectionParams) before connecting again instead of retrying the same one; socket.io does not reconnect after a middleware error and graphql-ws does not retry 4401. On the server, log every refusal with the error message, the user or token id (never the token), the token's expiry, the namespace and the client address, and give the client a stable message and err.data it can act on (e.g. { code: 'token_expired' }).",
  },
  app_init_timeout: {
    phase: 'open',
    title: "The app protocol's connection initialisation timed out",
    explanation:
      "After the upgrade the application protocol expects an initialisation exchange within a deadline, and it did not complete: a graphql-ws server closes with 4408 Connection initialisation timeout when no ConnectionInit arrives within connectionInitWaitTimeout (3 s by default), and a graphql-ws client closes with 4504 when the ConnectionAck does not come back within its connectionAckWaitTimeout. The client was slow to build its connectionParams (a token fetch), its tab was throttled or frozen, or the server's onConnect was slow.",
    remediation:
      "Send ConnectionInit right after open: fetch tokens before opening the socket rather than inside an async connectionParams, or raise the server's connectionInitWaitTimeout (e.g. to 10 s) for slow mobile clients. When clients close with 4504, keep the server's onConnect fast (cache auth lookups, no database round trip per connection) or raise the client's connectionAckWaitTimeout. Lazy graphql-ws clients (lazy: true) open only when the first subscription starts, which avoids idle initialisations.",
  },
};
