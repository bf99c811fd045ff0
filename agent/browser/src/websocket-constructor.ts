import { agentErrors, guarded } from './agent-errors.js';
import type { Connection } from './connection.js';

/**
 * A Proxy of the native constructor: `name`, `length`, statics, `prototype`, subclassing and calls
 * without `new` all behave natively; only construction is observed. The native constructor gets the
 * app's arguments (URL plus `__cw` at most) and its exceptions are rethrown untouched.
 */
export function wrapWebSocketConstructor(
  NativeWebSocket: typeof WebSocket,
  openConnection: (args: unknown[]) => Connection,
): typeof WebSocket {
  return new Proxy(NativeWebSocket, {
    construct(target, args, newTarget) {
      let connection: Connection | undefined;
      let socket: WebSocket;
      try {
        connection = openConnection(args);
      } catch {
        agentErrors.count++;
      }
      try {
        socket = Reflect.construct(target, connection?.nativeArgs || args, newTarget);
      } catch (error) {
        guarded(() => connection?.fail(error));
        throw error;
      }
      guarded(() => connection?.attach(socket));
      return socket;
    },
  });
}
