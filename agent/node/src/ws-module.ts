import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { patchScope } from './agent-state.js';
import { patchClientRequestField } from './client-connection.js';
import { patchCoreModules } from './core-patches.js';
import { patchWebSocketServerPrototype } from './server-patches.js';
import { patchWebSocketPrototype } from './websocket-patches.js';

/** ws major versions whose internals the agent knows. */
export const SUPPORTED_WS_VERSIONS = ['>=8.0.0 <9'];

const requireHere = createRequire(import.meta.url);
const WS_LIB_FILE = /[\\/]ws[\\/]lib[\\/](websocket|websocket-server)\.js$/;

export function patchWebSocketClass(WebSocket: unknown): void {
  const proto = (WebSocket as { prototype?: object } | undefined)?.prototype;
  if (!proto) return;
  patchWebSocketPrototype(proto);
  if (patchScope.clients) patchClientRequestField(proto);
  patchCoreModules();
}

export function patchWebSocketServerClass(WebSocketServer: unknown): void {
  const proto = (WebSocketServer as { prototype?: object } | undefined)?.prototype;
  if (!proto) return;
  patchWebSocketServerPrototype(proto);
  patchCoreModules();
}

function isWs8(libFile: string): boolean {
  try {
    const manifest = requireHere(join(dirname(libFile), '..', 'package.json')) as { name?: string; version?: string };
    return manifest.name === 'ws' && typeof manifest.version === 'string' && manifest.version.startsWith('8.');
  } catch {
    return false;
  }
}

/** The file a loaded module came from, by its exports (the require hook does not pass it). */
function loadedFileOf(exports: unknown): string | undefined {
  for (const [file, module] of Object.entries(requireHere.cache)) {
    if (module?.exports === exports) return file;
  }
  return undefined;
}

/**
 * An ESM `import 'ws'` loads lib/websocket.js through ws's wrapper.mjs, which the require hook sees,
 * but not lib/websocket-server.js: load it next to the WebSocket class just patched.
 */
export function patchSiblingServer(WebSocket: unknown): void {
  const file = loadedFileOf(WebSocket);
  if (!file) return;
  patchWebSocketServerClass(createRequire(file)('./websocket-server.js'));
}

/** Patches every ws 8 already loaded (ws imported before the instrumentation was enabled). */
export function patchLoadedWs(): void {
  for (const [file, module] of Object.entries(requireHere.cache)) {
    const match = WS_LIB_FILE.exec(file);
    if (!match || !module?.loaded || !isWs8(file)) continue;
    if (match[1] === 'websocket') patchWebSocketClass(module.exports);
    else patchWebSocketServerClass(module.exports);
  }
}
