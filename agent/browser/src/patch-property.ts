/** Each replacement the agent installed → the native it stands in for, so its source reads as native. */
const nativeOf = new WeakMap<object, unknown>();

/**
 * Replaces an own property's value (or getter, for accessors) keeping its enumerable/configurable/
 * writable flags, and disguises the replacement as the original; returns the undo.
 */
export function patchProperty(target: object, key: PropertyKey, replacement: object): () => void {
  const original = Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
  const slot = original.get ? 'get' : 'value';
  nativeOf.set(replacement, original[slot]);
  Object.defineProperty(target, key, { ...original, [slot]: replacement });
  return function restoreProperty() {
    Object.defineProperty(target, key, original);
  };
}

/** Patches Function.prototype.toString (as Sentry does) so replacements print `[native code]`; returns the undo. */
export function installNativeSource(): () => void {
  const nativeToString = Function.prototype.toString;
  return patchProperty(Function.prototype, 'toString', {
    toString(this: object) {
      return nativeToString.call(nativeOf.get(this) || this);
    },
  }.toString);
}
