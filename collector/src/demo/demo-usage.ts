import { DEFAULT_DEMO_OPTIONS, MAX_DURATION_S, MAX_RATE } from './demo-options.js';

export const DEMO_USAGE = `Usage: closewatch demo [options]

A simulated fleet on 127.0.0.1: an instrumented ws server (/chat/:room, /feed, /admin with a token)
and instrumented ws clients closing in realistic ways (clean closes, 4xxx app closes, 401s,
subprotocol mismatches, heartbeat timeouts, terminate, 1009, resets), reported to a collector
through the real Node agent, so the dashboard fills up.

Options:
  --collector <url>   report to this running collector (default: the one on --port, started there
                      when none answers)
  --port <n>          port of the collector to start or reuse (default ${DEFAULT_DEMO_OPTIONS.port})
  --data-dir <dir>    DuckDB data directory of a collector the demo starts (default ./.closewatch)
  --database-url <u>  PostgreSQL store of a collector the demo starts (instead of DuckDB)
  --key <key>         ingest key, when the collector requires one
  --duration <d>      how long to start new connections for, e.g. 90s, 2m, or seconds (default ${DEFAULT_DEMO_OPTIONS.durationMs / 1000}s, at most ${MAX_DURATION_S / 60}m)
  --rate <n>          new connections per second (default ${DEFAULT_DEMO_OPTIONS.rate}, at most ${MAX_RATE})
  -h, --help          show this help

A collector started by the demo keeps serving the dashboard after the run until Ctrl-C.
`;
