import type { Store } from '../store/store.js';
import type { CollectorMetrics } from './collector-metrics.js';

/** Snake-case operation label from a Store method name: upsertSides → upsert_sides. */
function operationLabel(method: string): string {
  return method.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The store with every async method timed into closewatch_store_operation_duration_seconds. */
export function instrumentStore(store: Store, metrics: CollectorMetrics): Store {
  const histogram = metrics.storeOperationDuration;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      const operation = operationLabel(property);
      return function timedStoreOperation(...args: unknown[]): unknown {
        const end = histogram.startTimer({ operation });
        const result = method.apply(target, args);
        if (result instanceof Promise) return result.finally(end);
        end();
        return result;
      };
    },
  });
}
