import { patchProperty } from './patch-property.js';

/** Each replacement the agent installed → the native function it stands in for. */
const nativeOf = new WeakMap<object, object>();

/** Makes `replacement.toString()` print the native function's source, as Sentry does for its wrappers. */
export function disguiseAs(replacement: object, native: object): void {
  nativeOf.set(replacement, native);
}

/** Patches Function.prototype.toString so disguised replacements read as `[native code]`; returns the undo. */
export function installNativeSource(): () => void {
  const nativeToString = Function.prototype.toString;
  const toString = {
    toString(this: unknown) {
      return nativeToString.call(nativeOf.get(this as object) || this);
    },
  }.toString;
  disguiseAs(toString, nativeToString);
  return patchProperty(Function.prototype, 'toString', { value: toString });
}
