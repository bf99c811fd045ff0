export const USAGE = `Usage: closewatch <command> [options]

Commands:
  start           run the collector (OTLP ingest, join, metrics, REST API, dashboard)
  probe <ws-url>  open a WebSocket the way a browser would and show what it hides (closewatch probe --help)
  alerts export   print the alert rules as a Prometheus rule file (closewatch alerts export --help)
  demo            a simulated ws fleet recorded by the real Node agent, to fill the dashboard (closewatch demo --help)

Run \`closewatch start --help\` for the collector's options.
`;

export const START_USAGE = `Usage: closewatch start [options]

Options (each also settable by environment variable or config file key):
  --port <n>            port to listen on (CLOSEWATCH_PORT, default 4318)
  --host <addr>         address to bind (CLOSEWATCH_HOST, default 127.0.0.1)
  --data-dir <dir>      DuckDB data directory (CLOSEWATCH_DATA_DIR, default ./.closewatch)
  --database-url <url>  PostgreSQL URL; several collectors can share it (CLOSEWATCH_DATABASE_URL)
  --alerts-file <file>  YAML alert rules loaded into the store at start (CLOSEWATCH_ALERTS_FILE)
  --config <file>       JSON or YAML file with any option of collector/README.md
  -h, --help            show this help

Other settings by environment: CLOSEWATCH_JOIN_WINDOW_MS, CLOSEWATCH_RETENTION_DAYS,
CLOSEWATCH_INGEST_KEYS, CLOSEWATCH_ALLOWED_ORIGINS, CLOSEWATCH_ADMIN_TOKEN, CLOSEWATCH_PUBLIC_URL, …
(the full list is in collector/README.md).
`;
