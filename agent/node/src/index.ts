export { WsInstrumentation } from './instrumentation.js';
export { closeWithDetail, CLOSE_DETAIL_MESSAGE_TYPE } from './close-with-detail.js';
export { shutdownGracefully } from './graceful-shutdown.js';
export { flushSpans } from './flush-spans.js';
export { startAgent, type StartedAgent } from './agent-bootstrap.js';
export type { WsInstrumentationConfig, ShutdownOptions, ShutdownResult } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
