/** What a patch replaced, so `disable()` can put back exactly what was there (own or inherited). */
interface Replaced {
  target: object;
  key: PropertyKey;
  descriptor: PropertyDescriptor | undefined;
}

const replaced: Replaced[] = [];
const kPatched = Symbol('closewatch.patched');

/** True when `target[key]` is already one of this agent's wrappers. */
export function isPatched(target: object, key: PropertyKey): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return Boolean(descriptor && (descriptor.value as { [kPatched]?: boolean } | undefined)?.[kPatched]);
}

/** Replaces `target[key]` with `wrap(original)` once; the original stays reachable for `restoreAll`. */
export function patchMethod<F extends (...args: never[]) => unknown>(target: object, key: PropertyKey, wrap: (original: F) => F): void {
  if (isPatched(target, key)) return;
  const original = (target as Record<PropertyKey, unknown>)[key];
  if (typeof original !== 'function') return;
  const wrapper = wrap(original as F) as F & { [kPatched]?: boolean };
  wrapper[kPatched] = true;
  replaced.push({ target, key, descriptor: Object.getOwnPropertyDescriptor(target, key) });
  Object.defineProperty(target, key, { value: wrapper, writable: true, configurable: true, enumerable: false });
}

/** Defines an accessor once (for ws fields the agent must see being assigned). */
export function patchAccessor(target: object, key: PropertyKey, accessor: { get: (this: never) => unknown; set: (this: never, value: unknown) => void }): void {
  const current = Object.getOwnPropertyDescriptor(target, key);
  if ((current?.set as { [kPatched]?: boolean } | undefined)?.[kPatched]) return;
  (accessor.set as { [kPatched]?: boolean })[kPatched] = true;
  replaced.push({ target, key, descriptor: current });
  Object.defineProperty(target, key, { get: accessor.get, set: accessor.set, configurable: true, enumerable: false });
}

/** Puts every patched property back, newest first. */
export function restoreAll(): void {
  for (const { target, key, descriptor } of replaced.splice(0).reverse()) {
    if (descriptor) Object.defineProperty(target, key, descriptor);
    else delete (target as Record<PropertyKey, unknown>)[key];
  }
}
