/** Each replacement the agent installed → the native it stands in for, so its source reads as native. */
const nativeOf = new WeakMap<object, unknown>();

/** A property descriptor's slots as this file handles them: values moved around, never called. */
interface Slots {
  get?: unknown;
  value?: unknown;
}

/**
 * Replaces own properties of `target` with the same-named members of `replacements` (values, or
 * getters for accessors), keeping each property's enumerable/configurable/writable flags, and
 * disguises each replacement as the original; returns the undos.
 */
export function patchProperties(target: object, replacements: object): Array<() => void> {
  return Object.keys(replacements).map(function patchProperty(key) {
    const original = Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
    const slot = original.get ? 'get' : 'value';
    const replacement = (Object.getOwnPropertyDescriptor(replacements, key) as Slots)[slot] as object;
    nativeOf.set(replacement, (original as Slots)[slot]);
    Object.defineProperty(target, key, { ...original, [slot]: replacement });
    return function restoreProperty() {
      Object.defineProperty(target, key, original);
    };
  });
}

/** Patches Function.prototype.toString (as Sentry does) so replacements print `[native code]`; returns the undos. */
export function installNativeSource(): Array<() => void> {
  const nativeToString = (Function.prototype as { toString: (this: unknown) => string }).toString;
  return patchProperties(Function.prototype, {
    toString(this: object) {
      return nativeToString.call(nativeOf.get(this) || this);
    },
  });
}
