import { connectionsBySocket } from './connection-registry.js';
import { patchProperties } from './patch-property.js';

/**
 * Replaces `send`, `close`, the `url` getter and `constructor` on WebSocket.prototype: the methods
 * by same-named, same-length functions that call the natives first (so their exceptions reach the app
 * unchanged), then count. Returns the undos.
 */
export function patchSocketPrototype(prototype: WebSocket, WrappedWebSocket: typeof WebSocket): Array<() => void> {
  const nativeSend = prototype.send;
  const nativeClose = prototype.close;
  const nativeUrl = (Object.getOwnPropertyDescriptor(prototype, 'url') as PropertyDescriptor).get as (this: WebSocket) => string;

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
