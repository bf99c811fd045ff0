import { watchPageState } from './browser-state.js';
import type { Connection } from './connection.js';
import { createExporter, type AgentStats } from './exporter.js';

export type { AgentStats };
import { openConnection } from './open-connection.js';
import { snapshotPeriodically, snapshotTaker } from './open-socket-snapshots.js';
import { resolveOptions, type AgentOptions, type ResolvedOptions, type ScriptOptions } from './options.js';
import { installNativeSource, patchProperties } from './patch-property.js';
import { patchSocketPrototype } from './socket-prototype.js';
import { wrapWebSocketConstructor } from './websocket-constructor.js';

export interface Agent {
  readonly options: ResolvedOptions;
  stats(): AgentStats;
  /** Sends queued spans now. */
  flush(): void;
  /** Restores the native WebSocket and stops exporting. */
  uninstall(): void;
}

/** Where the installed agent lives, shared by every copy of the agent on the page (IIFE and ESM). */
const AGENT_KEY = Symbol.for('closewatch.agent');

type AgentHost = typeof globalThis & { [AGENT_KEY]?: Agent };

/**
 * Installs the agent: wraps `window.WebSocket`, watches the page's lifecycle and exports one span per
 * connection. Calling it again returns the agent already installed. A missing endpoint throws a
 * TypeError that names it.
 */
export function init(options: AgentOptions | ScriptOptions): Agent {
  if (!(globalThis as AgentHost)[AGENT_KEY] && !options.endpoint) throw new TypeError('closewatch: "endpoint" is required');
  return install(options);
}

/** init() without the endpoint check, for the snippet: its endpoint defaults to where it was loaded from. */
export function install(options: AgentOptions | ScriptOptions): Agent {
  const host = globalThis as AgentHost;
  const installed = host[AGENT_KEY];
  if (installed) return installed;
  const resolved = resolveOptions(options);
  const exporter = createExporter(resolved);

  function describeConnection(args: unknown[]): Connection {
    return openConnection(args, resolved.propagateTo, exporter.add_);
  }

  const takeSnapshot = snapshotTaker(resolved.snapshotIntervalMs, exporter.snapshot_);
  const NativeWebSocket = host.WebSocket;
  const prototype = NativeWebSocket.prototype;
  const WrappedWebSocket = wrapWebSocketConstructor(NativeWebSocket, describeConnection);
  const undos = [
    ...installNativeSource(),
    ...patchSocketPrototype(prototype, WrappedWebSocket),
    ...patchProperties(host, { WebSocket: WrappedWebSocket }),
    watchPageState(exporter.flushOnLeave_, takeSnapshot),
    snapshotPeriodically(resolved.snapshotIntervalMs, takeSnapshot),
  ];

  const agent: Agent = {
    options: resolved,
    stats: exporter.stats,
    flush: exporter.flush,
    uninstall() {
      exporter.stop_();
      for (const undo of undos.reverse()) undo();
      delete host[AGENT_KEY];
    },
  };
  host[AGENT_KEY] = agent;
  return agent;
}

/** Removes the installed agent, if any, restoring every patched global. */
export function uninstall(): void {
  (globalThis as AgentHost)[AGENT_KEY]?.uninstall();
}
