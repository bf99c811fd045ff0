import type { Tracer } from '@opentelemetry/api';
import type { ConnectionRecord } from './connection-record.js';
import type { WsInstrumentationConfig } from './types.js';
import type { WsServerInternals } from './ws-internals.js';

/** What the patched ws methods need from the enabled instrumentation. */
export interface ActiveAgent {
  readonly tracer: Tracer;
  getConfig(): WsInstrumentationConfig;
}

let active: ActiveAgent | undefined;

/**
 * What the patches cover: with `instrumentClients: false` the client hook (an accessor every ws
 * client passes through in its constructor) is not installed at all.
 */
export const patchScope = { clients: true };

/** Connections whose span has not ended yet, for graceful shutdown and process exit. */
export const liveConnections = new Set<ConnectionRecord>();

/** WebSocketServers that handled an upgrade and are not closed, for graceful shutdown. */
export const liveServers = new Set<WsServerInternals>();

/** Set when a span ended since the last export at exit, so `beforeExit` flushes once. */
export const exportState = { spansSinceFlush: false };

export function activeAgent(): ActiveAgent | undefined {
  return active;
}

export function setActiveAgent(agent: ActiveAgent | undefined): void {
  active = agent;
}
