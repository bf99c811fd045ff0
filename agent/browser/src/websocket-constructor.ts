import { guard } from './agent-errors.js';
import type { Connection } from './connection.js';

/**
 * A Proxy of the native constructor: `name`, `length`, statics, `prototype`, subclassing and calls
 * without `new` all behave natively; only construction is observed. The native constructor gets the
 * app's arguments (URL plus `__cw` at most) and its exceptions are rethrown untouched.
 */
export function wrapWebSocketConstructor(NativeWebSocket: typeof WebSocket, openConnection: (args: unknown[]) => Connection): typeof WebSocket {
  return new Proxy(NativeWebSocket, {
    construct(target, args, newTarget) {
      const connection = guard(openConnection)(args);
      try {
        const socket = Reflect.construct(target, connection?.nativeArgs_ || args, newTarget) as WebSocket;
        // Without a connection (its bookkeeping threw, and was counted) this throws and counts again, harmlessly.
        guard(connection?.attach_ as (socket: WebSocket) => void)(socket);
        return socket;
      } catch (error) {
        guard(connection?.fail_ as (error: Error) => void)(error as Error);
        throw error;
      }
    },
  });
}
