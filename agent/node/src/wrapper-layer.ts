/**
 * Wrapping shared methods (`http.Server.prototype.emit`, `net.Socket.prototype.write/end`) so that
 * other wrappers stay intact in any order (docs/design.md, "Coexisting with OpenTelemetry's
 * instrumentations"). Each wrapper carries shimmer's marks (`__original`, `__unwrap`, `__wrapped`),
 * as every OpenTelemetry instrumentation's does, and:
 * - it goes on top of whatever stands there (InstrumentationBase's `_wrap` would first unwrap a
 *   wrapper already there, removing instrumentation-http's);
 * - disabling removes it only while it is the top one; under another wrapper it stays in that
 *   wrapper's chain and passes calls straight through until the agent is enabled again;
 * - another instrumentation's `_unwrap` (or its `_wrap`, which unwraps first) calls the top layer's
 *   `__unwrap`: when that is the agent's, the wrapper directly below it (the caller's) is taken out
 *   instead of the agent's.
 */

export type AnyMethod = (this: unknown, ...args: unknown[]) => unknown;

/** What a layer calls through to; replaced when the wrapper below it is taken out. */
export interface Below {
  fn: AnyMethod;
}

interface Layer {
  below: Below;
  wrapped: AnyMethod;
  descriptor: PropertyDescriptor | undefined;
}

interface ShimmerWrapped {
  __original?: unknown;
  __wrapped?: boolean;
}

const layers = new WeakMap<object, Map<string, Layer>>();

function setHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
}

/** True when `layer` is still reachable from `target[key]` through the `__original` chain. */
function inChain(target: object, key: string, layer: Layer): boolean {
  let current = (target as Record<string, unknown>)[key];
  for (let depth = 0; depth < 32 && typeof current === 'function'; depth++) {
    if (current === layer.wrapped) return true;
    current = (current as ShimmerWrapped).__original;
  }
  return false;
}

function restore(target: object, key: string, layer: Layer): void {
  if (layer.descriptor) Object.defineProperty(target, key, { ...layer.descriptor, value: layer.below.fn });
  else delete (target as Record<string, unknown>)[key];
}

/** Someone else's unwrap reached this layer on top: take out the wrapper below it, if it is one. */
function onUnwrap(layer: Layer): void {
  const below = layer.below.fn as ShimmerWrapped;
  if (below.__wrapped === true && typeof below.__original === 'function') {
    layer.below.fn = below.__original as AnyMethod;
    setHidden(layer.wrapped, '__original', layer.below.fn);
  }
}

/** Wraps `target[key]` with `wrap(below)`, on top of whatever stands there, unless this agent's layer is still in its chain. */
export function addLayer(target: object, key: string, wrap: (below: Below) => AnyMethod): void {
  let byKey = layers.get(target);
  if (!byKey) {
    byKey = new Map();
    layers.set(target, byKey);
  }
  const existing = byKey.get(key);
  if (existing && inChain(target, key, existing)) return;
  const original = (target as Record<string, unknown>)[key];
  if (typeof original !== 'function') return;
  const below: Below = { fn: original as AnyMethod };
  const layer: Layer = { below, wrapped: wrap(below), descriptor: Object.getOwnPropertyDescriptor(target, key) };
  setHidden(layer.wrapped, '__original', original);
  setHidden(layer.wrapped, '__wrapped', true);
  setHidden(layer.wrapped, '__unwrap', () => onUnwrap(layer));
  Object.defineProperty(target, key, { value: layer.wrapped, configurable: true, writable: true, enumerable: layer.descriptor?.enumerable ?? false });
  byKey.set(key, layer);
}

/** Takes this agent's layer out when it is the top one; under another wrapper it stays, passing calls through. */
export function removeLayer(target: object, key: string): void {
  const byKey = layers.get(target);
  const layer = byKey?.get(key);
  if (!byKey || !layer) return;
  if (!inChain(target, key, layer)) {
    byKey.delete(key);
    return;
  }
  if ((target as Record<string, unknown>)[key] !== layer.wrapped) return;
  restore(target, key, layer);
  byKey.delete(key);
}
