import type { CauseEntry } from './cause-info.js';

type OpenCauseId =
  | 'client_offline'
  | 'client_suspended'
  | 'page_unload'
  | 'server_terminated'
  | 'server_heartbeat_timeout'
  | 'server_rejected_frame'
  | 'server_shutdown'
  | 'intermediary_timeout'
  | 'connection_lost';

/** Causes of an open connection that ended. */
export const OPEN_CAUSES: Record<OpenCauseId, CauseEntry> = {
  client_offline: {
    phase: 'open',
    title: 'The browser went offline',
    explanation:
      'The browser lost network connectivity during the connection (the offline event fired, or navigator.onLine was false when it closed): Wi-Fi dropped, the device switched networks, or a VPN reconnected. The TCP connection could not survive that, so the browser reported 1006; the server usually noticed much later, when its heartbeat or a TCP timeout found the socket dead. When the page died before it could report the close, the last snapshot the browser agent took of the open connection, saying offline, stands for it.',
    remediation:
      'Expect it on mobile devices and laptops. Reconnect when the online event fires (after a small random delay) rather than on a fixed timer, resume from the last received message id, and keep server-side session state for a grace period (e.g. 60 s) so a reconnect does not lose it. Keep this cause out of server-side error alerts.',
  },
  client_suspended: {
    phase: 'open',
    title: 'The tab was hidden, frozen or the device slept',
    explanation:
      "The page was hidden, frozen or the device went to sleep before the connection dropped. Browsers throttle timers in background tabs (Chrome runs them at most once a minute after 5 minutes hidden), freeze pages (Page Lifecycle), and suspend networking while the device sleeps, so application heartbeats stop and the server or a proxy drops the connection; when the page wakes up the browser finds the connection dead and reports 1006. When the page was discarded or killed before it could report the close, the browser agent's last snapshot of the open connection, saying hidden or frozen, stands for it.",
    remediation:
      "Use protocol-level ping/pong from the server (browsers answer pings in throttled tabs, though not when frozen or asleep) and do not tie the server's timeout to client timers. On visibilitychange to visible and on resume, check the socket (readyState, a quick application ping) and reconnect at once if it is dead; on freeze, close with 1000 and reopen on resume.",
  },
  page_unload: {
    phase: 'open',
    title: 'The page was closed or navigated away',
    explanation:
      'The page navigated away, was closed or reloaded, or entered the back/forward cache. The browser closes its WebSockets then, sending 1001 Going Away when it still can, so the server sees 1001 or an abrupt end of the socket. This is expected behaviour, not an outage.',
    remediation:
      'Nothing to fix: keep this cause out of error rates and alerts, and treat 1001 or a socket end right after a pagehide as normal in server logs. To keep pages eligible for the back/forward cache, close the socket in pagehide and reopen it in pageshow when event.persisted is true.',
  },
  server_terminated: {
    phase: 'open',
    title: 'The server terminated the connection',
    explanation:
      'The server ended the connection without a closing handshake, by calling ws.terminate() or destroying the socket (an application timeout, a kicked user, an error handler), or it closed with 1011 after an unexpected error. Without a close frame the browser can only report 1006, with no reason.',
    remediation:
      'When the server ends a connection on purpose, send a close frame instead: ws.close(code, reason) with a 4000–4999 code, or closeWithDetail(ws, code, detail) from @closewatch/agent-node, so the client sees why and can decide whether to reconnect. Keep terminate() for peers that no longer answer. For 1011, look for the exception in the server log at that time.',
  },
  server_heartbeat_timeout: {
    phase: 'open',
    title: 'Server heartbeat timed out',
    explanation:
      'The server pinged the client, got no pong in time, decided the peer was gone and ended the connection: the usual ws pattern terminates the clients that did not answer the previous ping (the browser reports 1006), and engine.io / socket.io close the connection when a ping gets no pong within pingTimeout ("ping timeout" on the server, "transport close" on the client, a clean 1005 in the browser). The client was unreachable, frozen or asleep, or its pong was stuck behind a large buffered send.',
    remediation:
      "A 30 s ws heartbeat terminates after 30–60 s without a pong. Keep the interval below every proxy idle timeout (ping every 25 s for nginx's default 60 s proxy_read_timeout; socket.io's pingInterval 25 s fits), but on mobile networks allow two missed pongs before terminating (socket.io: raise pingTimeout from 20 s). Check the client's bufferedAmount and the server's event-loop lag at that time; if clients were hidden or offline, fix reconnection on resume instead.",
  },
  server_rejected_frame: {
    phase: 'open',
    title: 'The server rejected a frame',
    explanation:
      'The server received a frame it would not accept and closed with a protocol code: 1002 (protocol error, e.g. an unmasked client frame), 1003 (unsupported data type), 1007 (invalid UTF-8 in a text message), 1008 (policy violation) or 1009 (message bigger than maxPayload). ws reports these as WS_ERR_* errors. The browser shows the code when the close frame arrives, otherwise 1006.',
    remediation:
      'For 1009 raise ws maxPayload (default 100 MiB, often configured far lower) or split large messages on the client; for 1007 send valid UTF-8 or use binary frames; for 1003 agree on text versus binary; for 1008 check the policy that fired (rate limit, auth after open) and send a reason with closeWithDetail. Log the WS_ERR_* code on the server.',
  },
  server_shutdown: {
    phase: 'open',
    title: 'The server shut down or restarted',
    explanation:
      'The server process stopped or restarted on its own terms: a deploy, a scale-in, a restart. A graceful shutdown closes connections with 1001 Going Away or 1012 Service Restart (or 1013 Try Again Later when shedding load), or the server agent records the process exit. A crash or SIGKILL closes nothing and leaves the clients with 1006: that is server_gone.',
    remediation:
      'On SIGTERM stop accepting upgrades, close every connection with 1012 and a reason, and wait for the close handshakes (up to e.g. 10 s) before exiting; give the platform a longer grace period (Kubernetes terminationGracePeriodSeconds, 30 s by default). Clients should reconnect after a random delay of 0–5 s so the remaining instances are not hit by a thundering herd.',
  },
  intermediary_timeout: {
    phase: 'open',
    title: 'A proxy or load balancer timed out the idle connection',
    explanation:
      "A proxy or load balancer between client and server closed the connection because no data passed for its idle timeout: nginx's proxy_read_timeout (60 s), an AWS ALB (60 s), Heroku's router (55 s), Cloudflare (100 s), or the 30 s backend timeout of a Google Cloud HTTP(S) load balancer, which limits the whole WebSocket lifetime. Neither endpoint sent a close frame, so both saw an abrupt end and the browser reports 1006.",
    remediation:
      'Send traffic more often than the shortest timeout on the path: a ws ping every 25 s covers nginx and ALB defaults (60 s), Heroku (55 s) and Cloudflare (100 s). Or raise the timeout: nginx proxy_read_timeout 3600s (ingress-nginx annotation nginx.ingress.kubernetes.io/proxy-read-timeout), ALB idle_timeout.timeout_seconds, GCP backend service timeoutSec, HAProxy timeout tunnel 1h.',
  },
  connection_lost: {
    phase: 'open',
    title: 'Connection lost',
    explanation:
      'Both sides saw the connection end abruptly (1006, a socket error such as ECONNRESET, or the TCP stream ending) and nothing points to a specific cause: no termination by the server, no offline or suspend signal in the browser, and an idle time that matches no known proxy timeout. A NAT or firewall dropping its state, a mobile handover, a proxy restart or a network outage in between are the usual reasons.',
    remediation:
      'Make connections resilient instead of long-lived: a ping every 25 s detects dead links within a minute, reconnect with backoff and jitter, and resume from the last acknowledged message. If drops cluster by time, region or network type, look at the proxies and NAT gateways on the path (an AWS NAT gateway drops flows idle for 350 s); `closewatch probe <url> --hold` measures how long an idle connection survives.',
  },
};
