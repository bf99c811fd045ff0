/** Replaces one own property, keeping its enumerable/configurable/writable flags; returns the undo. */
export function patchProperty(target: object, key: PropertyKey, replacement: PropertyDescriptor): () => void {
  const original = Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
  Object.defineProperty(target, key, { ...original, ...replacement });
  return function restoreProperty() {
    Object.defineProperty(target, key, original);
  };
}
