import { agentErrors } from './agent-errors.js';
import { connectionsBySocket } from './connection-registry.js';
import { patchProperty } from './patch-property.js';

/**
 * Replaces `send`, `close` and the `url` getter on WebSocket.prototype with same-named, same-length
 * functions that call the natives first (so their exceptions reach the app unchanged), then count.
 * Returns the undos.
 */
export function patchSocketPrototype(prototype: WebSocket): Array<() => void> {
  const nativeSend = prototype.send;
  const nativeClose = prototype.close;
  const nativeUrl = Object.getOwnPropertyDescriptor(prototype, 'url')?.get as (this: WebSocket) => string;

  const replacements = {
    send(this: WebSocket, _data: unknown) {
      const connection = connectionsBySocket.get(this);
      if (!connection) return nativeSend.apply(this, arguments as never);
      const bufferedBefore = this.bufferedAmount;
      nativeSend.apply(this, arguments as never);
      try {
        // send() adds the message's byte length to bufferedAmount synchronously.
        connection.countSent(this.bufferedAmount - bufferedBefore);
      } catch {
        agentErrors.count++;
      }
    },
    close(this: WebSocket) {
      const connection = connectionsBySocket.get(this);
      const wasLive = connection !== undefined && this.readyState < 2;
      nativeClose.apply(this, arguments as never);
      if (wasLive) connection.closeCalled();
    },
    get url() {
      const socket = this as unknown as WebSocket;
      const url = nativeUrl.call(socket);
      const connection = connectionsBySocket.get(socket);
      return connection ? url.replace(connection.correlation, '') : url;
    },
  };
  return [
    patchProperty(prototype, 'send', replacements.send),
    patchProperty(prototype, 'close', replacements.close),
    patchProperty(prototype, 'url', Object.getOwnPropertyDescriptor(replacements, 'url')?.get as () => string),
  ];
}
