import { guarded } from './agent-errors.js';
import { connectionsBySocket } from './connection-registry.js';
import { patchProperties } from './patch-property.js';

/**
 * Replaces `send`, `close` and the `url` getter on WebSocket.prototype with same-named, same-length
 * functions that call the natives first (so their exceptions reach the app unchanged), then count.
 * Returns the undos.
 */
export function patchSocketPrototype(prototype: WebSocket): Array<() => void> {
  const nativeSend = prototype.send;
  const nativeClose = prototype.close;
  const nativeUrl = (Object.getOwnPropertyDescriptor(prototype, 'url') as PropertyDescriptor).get as (this: WebSocket) => string;

  return patchProperties(prototype, {
    send(this: WebSocket, _data: unknown) {
      const connection = connectionsBySocket.get(this);
      const bufferedBefore = connection && this.bufferedAmount;
      nativeSend.apply(this, arguments as never);
      // send() adds the message's byte length to bufferedAmount synchronously.
      if (connection) guarded(() => connection.countSent_(this.bufferedAmount - (bufferedBefore as number)));
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
  });
}
