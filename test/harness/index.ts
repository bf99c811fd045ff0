// The shared test harness: real servers, browsers and databases on loopback, each closed after its test.
export { runOnce, optionsWithScope, type CleanupScope, type ScopeOr } from './cleanup.js';
export { freePort } from './free-port.js';
export { waitFor, StopWaiting, type WaitForOptions } from './wait-for.js';
export { waitForPort } from './wait-for-port.js';
export { makeTempDir, type TempDir } from './temp-dir.js';
export { spawnManaged, type ManagedProcess, type ProcessExit } from './managed-process.js';
export { spawnNode, type SpawnNodeOptions } from './spawn-node.js';
export { startWsServer, type WsServerOptions, type WsServerHandle } from './ws-server.js';
export { serveStatic, type StaticRoute, type RouteHandler, type ServeStaticOptions, type StaticServer } from './static-server.js';
export { launchChromium, openPage, chromiumArgs, chromiumPath } from './chromium.js';
export { startNginx, nginxConfig, type NginxOptions, type NginxHandle } from './nginx.js';
export { startPrometheus, prometheusConfig, type PrometheusOptions, type PrometheusHandle, type PromSample } from './prometheus.js';
export { promtool, type PromtoolResult } from './promtool.js';
export { startAlertmanager, alertmanagerConfig, type AlertmanagerOptions, type AlertmanagerHandle, type AlertmanagerAlert } from './alertmanager.js';
export {
  connectPostgres,
  pgOrSkip,
  createTempDatabase,
  tempDatabaseOrSkip,
  fileDatabaseOrNotice,
  type FileDatabase,
  postgresUrl,
  postgresUrlFor,
  type TempDatabase,
  type SkippableScope,
} from './postgres.js';
export { startPrivatePostgres, postgresBinDir, type PrivatePostgres, type PrivatePostgresOptions } from './private-postgres.js';
export { startOtlpReceiver, type OtlpReceiver, type OtlpReceiverOptions, type RecordedRequest, type ReceiverAnswer, type Responder } from './otlp-receiver.js';
export { reportFigure, benchIsQuick, quickOr, BENCH_FIGURE_PREFIX, type BenchFigure } from './bench-figure.js';
