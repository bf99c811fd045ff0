import type { Socket } from 'node:net';
import type { ProbeClock } from './clock.js';

/** How the TCP connection ended, as seen from the socket: FIN is `end`, RST is ECONNRESET. */
export interface TcpEnd {
  kind: 'fin' | 'reset' | 'error';
  code: string | null;
  message: string | null;
  atMs: number;
}

/**
 * Buffers everything a socket receives and records how it ends, so each step reads the raw bytes
 * in order and the hold loop can tell a FIN from a RST.
 */
export class SocketTap {
  readonly socket: Socket;
  ended: TcpEnd | null = null;
  #buffered: Buffer = Buffer.alloc(0);
  #wake: (() => void) | null = null;
  #clock: ProbeClock;

  /** `underlying` is the TCP socket under a TLS socket: its RST must count as a reset, not a plain close. */
  constructor(socket: Socket, clock: ProbeClock, underlying?: Socket) {
    this.socket = socket;
    this.#clock = clock;
    underlying?.on('error', this.#onError);
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /** Removes and returns everything received so far. */
  take(): Buffer {
    const bytes = this.#buffered;
    this.#buffered = Buffer.alloc(0);
    return bytes;
  }

  peek(): Buffer {
    return this.#buffered;
  }

  /** Puts bytes a step did not consume back in front of the buffer. */
  giveBack(bytes: Buffer): void {
    if (bytes.length > 0) this.#buffered = Buffer.concat([bytes, this.#buffered]);
  }

  /** Resolves on the next received bytes or end of the connection, or after `timeoutMs`. */
  changed(timeoutMs: number): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.#wake === finish) this.#wake = null;
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, timeoutMs));
      this.#wake = finish;
    });
  }

  write(bytes: Buffer | string): void {
    if (!this.ended && !this.socket.destroyed) this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Wakes a pending `changed()` without new bytes, e.g. when the user interrupts the hold. */
  wake(): void {
    this.#notify();
  }

  #notify(): void {
    this.#wake?.();
  }

  #onData = (chunk: Buffer): void => {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    this.#notify();
  };

  #onEnd = (): void => {
    this.ended ??= { kind: 'fin', code: null, message: null, atMs: this.#clock.now() };
    this.#notify();
  };

  #onError = (error: NodeJS.ErrnoException): void => {
    const kind = error.code === 'ECONNRESET' ? 'reset' : 'error';
    this.ended ??= { kind, code: error.code ?? null, message: error.message, atMs: this.#clock.now() };
    this.#notify();
  };

  /** A close without end or error (e.g. destroyed locally) still ends the connection. */
  #onClose = (): void => {
    this.ended ??= { kind: 'fin', code: null, message: null, atMs: this.#clock.now() };
    this.#notify();
  };
}
