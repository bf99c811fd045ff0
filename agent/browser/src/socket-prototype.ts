import { connectionsBySocket } from './connection-registry.js';
import { patchProperties } from './patch-property.js';

/** WebSocket.prototype's methods as taken here: unbound, then applied to the socket the app called. */
interface SocketNatives {
  send: (this: WebSocket, ...args: Parameters<WebSocket['send']>) => void;
  close: (this: WebSocket, ...args: Parameters<WebSocket['close']>) => void;
}

/**
 * Replaces `send`, `close`, the `url` getter and `constructor` on WebSocket.prototype: the methods
 * by same-named, same-length functions that call the natives first (so their exceptions reach the app
 * unchanged), then count. Returns the undos.
 */
export function patchSocketPrototype(prototype: WebSocket, WrappedWebSocket: typeof WebSocket): Array<() => void> {
  const nativeSend = (prototype as SocketNatives).send;
  const nativeClose = (prototype as SocketNatives).close;
  const nativeUrl = (Object.getOwnPropertyDescriptor(prototype, 'url') as { get: (this: WebSocket) => string }).get;

  return patchProperties(prototype, {
    send(this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
      const connection = connectionsBySocket.get(this);
      nativeSend.apply(this, arguments as never);
      connection?.countSent_(data);
    },
    close(this: WebSocket) {
      const connection = connectionsBySocket.get(this);
      const wasLive = connection && this.readyState < 2;
      nativeClose.apply(this, arguments as never);
      if (wasLive) connection.closeCalled_ = true;
    },
    get url() {
      const socket = this as unknown as WebSocket;
      return nativeUrl.call(socket).replace(connectionsBySocket.get(socket)?.correlation_ || '', '');
    },
    constructor: WrappedWebSocket,
  });
}
