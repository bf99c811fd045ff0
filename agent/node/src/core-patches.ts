import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { patchSocketWrites, unpatchSocketWrites } from './handshake-response.js';
import { patchHttpServerEmit, unpatchHttpServerEmit } from './http-upgrade-patch.js';

/**
 * Wraps what ws connections pass through in Node's own modules. The instrumentation's module
 * definitions for `http`, `https` and `net` do the same when those are required; this covers modules
 * loaded before the agent (their prototypes are the same objects either way). Idempotent.
 */
export function patchCoreModules(): void {
  patchHttpServerEmit(http);
  patchHttpServerEmit(https);
  patchSocketWrites(net);
}

export function unpatchCoreModules(): void {
  unpatchHttpServerEmit(http);
  unpatchHttpServerEmit(https);
  unpatchSocketWrites(net);
}
