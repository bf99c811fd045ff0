export const PROBE_USAGE = `Usage: closewatch probe <ws-url> [options]

Connects to a WebSocket endpoint the way a browser does and prints what the browser hides:
DNS, TCP, TLS, the raw upgrade response, negotiation, and (with --hold) who ends an idle connection.

Options:
  --origin <origin>       Origin header (default: the endpoint's own origin)
  --protocol <name>       request a subprotocol; repeat for several
  --header 'Name: value'  add or replace a request header; repeatable
  --cookie <cookies>      Cookie header, e.g. 'session=abc; theme=dark'
  --timeout <duration>    limit for the whole handshake (default 10s)
  --insecure              continue when the TLS certificate does not verify
  --hold <duration>       keep the open connection idle this long, report who ends it
  --ping <interval>       while holding, send a ping at this interval
  --json                  print one JSON object (schema closewatch.probe/v1)
  -h, --help              show this help

Durations: 500ms, 2s, 1.5m, 1h; a bare number means seconds.
Exit codes: 0 the endpoint opened (and stayed up for --hold), 1 it did not (see the verdict), 2 usage error.
`;
