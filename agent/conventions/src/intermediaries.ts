/**
 * Default timeouts of proxies and load balancers that cut WebSocket connections, used by the
 * classifier to recognise `intermediary_timeout`. `idle`: no data in either direction for that long;
 * `lifetime`: the connection is closed after that long whatever passes.
 */
export interface IntermediaryTimeout {
  id: string;
  name: string;
  /** The setting that controls it. */
  setting: string;
  /** What else a reader should know about it. */
  note?: string;
  timeoutMs: number;
  kind: 'idle' | 'lifetime';
  /** Where the default is documented. */
  source: string;
}

export const KNOWN_INTERMEDIARY_TIMEOUTS: readonly IntermediaryTimeout[] = [
  {
    id: 'gcp_https_lb',
    name: 'Google Cloud external Application Load Balancer',
    setting: 'backend service timeoutSec',
    note: 'For WebSockets it limits the whole connection lifetime, idle or not.',
    timeoutMs: 30_000,
    kind: 'lifetime',
    source: 'Google Cloud docs, "Backend service settings: timeout" (default 30 s)',
  },
  {
    id: 'haproxy_debian_defaults',
    name: 'HAProxy (distribution default haproxy.cfg)',
    setting: 'timeout tunnel',
    note: 'Unset, timeout client / timeout server apply; distribution haproxy.cfg files set them to 50 s.',
    timeoutMs: 50_000,
    kind: 'idle',
    source: 'HAProxy configuration manual, "timeout tunnel"; Debian/Ubuntu haproxy.cfg defaults',
  },
  {
    id: 'heroku_router',
    name: 'Heroku router',
    setting: 'router idle window',
    note: 'A rolling 55 s window, not configurable; any frame resets it.',
    timeoutMs: 55_000,
    kind: 'idle',
    source: 'Heroku Dev Center, "WebSockets on Heroku: Timeouts"',
  },
  {
    id: 'nginx',
    name: 'nginx / ingress-nginx',
    setting: 'proxy_read_timeout',
    note: 'ingress-nginx: annotation nginx.ingress.kubernetes.io/proxy-read-timeout.',
    timeoutMs: 60_000,
    kind: 'idle',
    source: 'nginx docs, ngx_http_proxy_module proxy_read_timeout (default 60s)',
  },
  {
    id: 'aws_alb',
    name: 'AWS Application Load Balancer / Classic Load Balancer',
    setting: 'idle_timeout.timeout_seconds',
    timeoutMs: 60_000,
    kind: 'idle',
    source: 'AWS Elastic Load Balancing docs, "Connection idle timeout" (default 60 s)',
  },
  {
    id: 'cloudflare',
    name: 'Cloudflare proxy',
    setting: 'Proxy Read Timeout',
    note: 'Changeable on Enterprise plans only.',
    timeoutMs: 100_000,
    kind: 'idle',
    source: 'Cloudflare docs, "Connection limits" / WebSockets (100 s idle)',
  },
  {
    id: 'azure_load_balancer',
    name: 'Azure Load Balancer',
    setting: 'idleTimeoutInMinutes',
    timeoutMs: 240_000,
    kind: 'idle',
    source: 'Azure docs, "Load Balancer TCP reset and idle timeout" (default 4 min)',
  },
  {
    id: 'envoy',
    name: 'Envoy',
    setting: 'HttpConnectionManager stream_idle_timeout',
    timeoutMs: 300_000,
    kind: 'idle',
    source: 'Envoy docs, HttpConnectionManager stream_idle_timeout (default 5 min)',
  },
  {
    id: 'aws_nlb',
    name: 'AWS Network Load Balancer / NAT gateway',
    setting: 'tcp.idle_timeout.seconds',
    note: 'NAT gateways drop flows idle for 350 s too.',
    timeoutMs: 350_000,
    kind: 'idle',
    source: 'AWS docs, Network Load Balancer "Connection idle timeout" and NAT gateway (350 s)',
  },
  {
    id: 'aws_api_gateway',
    name: 'AWS API Gateway WebSocket API',
    setting: 'idle connection timeout',
    note: 'Not configurable.',
    timeoutMs: 600_000,
    kind: 'idle',
    source: 'AWS API Gateway quotas, WebSocket APIs (10 min idle, 2 h maximum)',
  },
  {
    id: 'aws_api_gateway_max',
    name: 'AWS API Gateway WebSocket API',
    setting: 'maximum connection duration',
    note: 'Not configurable.',
    timeoutMs: 7_200_000,
    kind: 'lifetime',
    source: 'AWS API Gateway quotas, WebSocket APIs (2 h maximum)',
  },
];

/** How far a measured duration may be from a timeout and still match it. */
export const INTERMEDIARY_TOLERANCE_MS = 2_000;
/** Relative tolerance for long timeouts (timer slack, clocks of two hosts). */
export const INTERMEDIARY_TOLERANCE_RATIO = 0.03;
/**
 * The tolerance never exceeds this share of the timeout: a connection idle for under half of a 2 s
 * timeout was not cut by it (the cause matrix found 234 ms of idle matched to a configured 2 s).
 */
export const INTERMEDIARY_TOLERANCE_MAX_SHARE = 0.5;

/** The known timeouts of that kind a measured duration matches, closest first; [] when none does. */
export function matchIntermediaryTimeouts(
  measuredMs: number,
  kind: IntermediaryTimeout['kind'],
  timeouts: readonly IntermediaryTimeout[] = KNOWN_INTERMEDIARY_TIMEOUTS,
  toleranceMs: number = INTERMEDIARY_TOLERANCE_MS,
): IntermediaryTimeout[] {
  const distance = (timeout: IntermediaryTimeout) => Math.abs(measuredMs - timeout.timeoutMs);
  const tolerance = (timeout: IntermediaryTimeout) =>
    Math.min(Math.max(toleranceMs, timeout.timeoutMs * INTERMEDIARY_TOLERANCE_RATIO), timeout.timeoutMs * INTERMEDIARY_TOLERANCE_MAX_SHARE);
  return timeouts.filter((timeout) => timeout.kind === kind && distance(timeout) <= tolerance(timeout)).sort((a, b) => distance(a) - distance(b));
}
