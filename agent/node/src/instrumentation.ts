import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { activeAgent, liveConnections, liveServers, patchScope, setActiveAgent, type ActiveAgent } from './agent-state.js';
import { unpatchCoreModules } from './core-patches.js';
import { patchSocketWrites, resetAwaitedResponses, unpatchSocketWrites } from './handshake-response.js';
import { patchHttpServerEmit, unpatchHttpServerEmit } from './http-upgrade-patch.js';
import { restoreAll } from './method-patch.js';
import { removeProcessExitHooks } from './process-exit.js';
import { stopCoarseClock } from './coarse-clock.js';
import type { WsInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
import { SUPPORTED_WS_VERSIONS, patchLoadedWs, patchSiblingServer, patchWebSocketClass, patchWebSocketServerClass } from './ws-module.js';

interface WsExports {
  WebSocket?: unknown;
  WebSocketServer?: unknown;
}

function patchWsExports<T>(exports: T): T {
  const ws = exports as WsExports;
  patchWebSocketClass(ws.WebSocket);
  patchWebSocketServerClass(ws.WebSocketServer);
  return exports;
}

function patchWebSocketFile<T>(WebSocket: T): T {
  patchWebSocketClass(WebSocket);
  patchSiblingServer(WebSocket);
  return WebSocket;
}

function patchWebSocketServerFile<T>(WebSocketServer: T): T {
  patchWebSocketServerClass(WebSocketServer);
  return WebSocketServer;
}

/** Unpatched ws no longer reports these connections' ends: drop them rather than hold their sockets. */
function forgetLiveConnections(): void {
  for (const record of liveConnections) {
    record.ended = true;
    record.websocket = undefined;
    record.awaitingResponse = false;
  }
  resetAwaitedResponses();
  liveConnections.clear();
  liveServers.clear();
}

/** Patches are undone all at once in `disable()`, whichever way ws was loaded. */
function leavePatchedExports(): void {}

/** Each instrumentation's view for the patched methods (a map: the base constructor enables before fields exist). */
const agents = new WeakMap<WsInstrumentation, ActiveAgent>();

function agentOf(instrumentation: WsInstrumentation, tracerOf: () => ActiveAgent['tracer']): ActiveAgent {
  let agent = agents.get(instrumentation);
  if (!agent) {
    agent = {
      get tracer() {
        return tracerOf();
      },
      getConfig: () => instrumentation.getConfig(),
    };
    agents.set(instrumentation, agent);
  }
  return agent;
}

/**
 * OpenTelemetry instrumentation of `ws` 8: one `websocket.connection` span per connection attempt,
 * server (SERVER) and client (CLIENT) side, for CommonJS and ESM apps alike: ws's classes are the
 * same objects behind `require('ws')` and `import … from 'ws'`, and the agent patches their prototypes.
 */
export class WsInstrumentation extends InstrumentationBase<WsInstrumentationConfig> {
  constructor(config: WsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /**
   * ws, plus what its connections pass through in Node's own modules: `http`/`https` servers' `emit`
   * (the upgrade event) and `net.Socket`'s `write`/`end` (the upgrade's status line), wrapped so that
   * other instrumentations' wrappers stay intact in any order (wrapper-layer.ts, docs/design.md).
   */
  protected init(): InstrumentationNodeModuleDefinition[] {
    const patchServer = <T>(exports: T): T => {
      patchHttpServerEmit(exports as object);
      return exports;
    };
    const unpatchServer = (exports: unknown): void => {
      if (exports) unpatchHttpServerEmit(exports);
    };
    const patchNet = <T>(exports: T): T => {
      patchSocketWrites(exports as object);
      return exports;
    };
    const unpatchNet = (exports: unknown): void => {
      if (exports) unpatchSocketWrites(exports);
    };
    return [
      new InstrumentationNodeModuleDefinition('http', ['*'], patchServer, unpatchServer),
      new InstrumentationNodeModuleDefinition('https', ['*'], patchServer, unpatchServer),
      new InstrumentationNodeModuleDefinition('net', ['*'], patchNet, unpatchNet),
      new InstrumentationNodeModuleDefinition('ws', SUPPORTED_WS_VERSIONS, patchWsExports, leavePatchedExports, [
        new InstrumentationNodeModuleFile('ws/lib/websocket.js', SUPPORTED_WS_VERSIONS, patchWebSocketFile, leavePatchedExports),
        new InstrumentationNodeModuleFile('ws/lib/websocket-server.js', SUPPORTED_WS_VERSIONS, patchWebSocketServerFile, leavePatchedExports),
      ]),
    ];
  }

  override enable(): void {
    patchScope.clients = this.getConfig().instrumentClients !== false;
    super.enable();
    setActiveAgent(agentOf(this, () => this.tracer));
    try {
      patchLoadedWs();
    } catch (error) {
      this._diag.warn('could not patch an already loaded ws', error);
    }
  }

  /** Turning `instrumentClients` on while enabled installs the client hook it needs. */
  override setConfig(config: WsInstrumentationConfig = {}): void {
    super.setConfig(config);
    const agent = agents.get(this);
    if (config.instrumentClients === false || patchScope.clients || agent === undefined || activeAgent() !== agent) return;
    patchScope.clients = true;
    try {
      patchLoadedWs();
    } catch (error) {
      this._diag.warn('could not patch an already loaded ws', error);
    }
  }

  override disable(): void {
    super.disable();
    if (activeAgent() !== agents.get(this)) return;
    setActiveAgent(undefined);
    restoreAll();
    unpatchCoreModules();
    removeProcessExitHooks();
    stopCoarseClock();
    forgetLiveConnections();
  }
}
