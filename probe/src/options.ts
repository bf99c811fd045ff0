/** What one `closewatch probe` run does, validated once by `parseProbeArgs`. */
export interface ProbeOptions {
  /** The endpoint as given (http/https already mapped to ws/wss, as browsers do). */
  url: URL;
  /** `Origin` header; default the endpoint's own origin, as a same-origin page sends. */
  origin: string;
  /** `Sec-WebSocket-Protocol` values, in order. Default none. */
  protocols: string[];
  /** Extra request headers; they replace the probe's own header of the same name. */
  headers: Array<[name: string, value: string]>;
  /** `Cookie` header value, or null. */
  cookie: string | null;
  /** Limit for the whole handshake, DNS to upgrade response. Default 10 s. */
  timeoutMs: number;
  /** Continue after a certificate that does not verify (the report still says why). Default false. */
  insecure: boolean;
  /** How long to keep the open connection idle; null = only the short settle window. */
  holdMs: number | null;
  /** Ping interval while holding; null = no pings, the connection stays fully idle. */
  pingIntervalMs: number | null;
  json: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Without `--hold`, the probe still listens this long after opening to catch an immediate close. */
export const SETTLE_MS = 500;

/** How long the probe waits for the server's answer to its close frame. */
export const CLOSE_REPLY_WAIT_MS = 2_000;

/** How many body bytes of a rejected upgrade the probe reads and shows. */
export const BODY_LIMIT_BYTES = 512;

/** How long the probe waits for more body bytes after the response head. */
export const BODY_WAIT_MS = 1_000;
