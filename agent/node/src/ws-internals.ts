import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** The fields of a ws 8 `WebSocket` the agent reads; ws keeps them stable across 8.x. */
export interface WsSocketInternals {
  _isServer: boolean;
  _readyState: number;
  _closeFrameSent: boolean;
  _closeFrameReceived: boolean;
  _protocol: string;
  _url?: string;
  _socket: Duplex | null;
  readonly extensions: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  close(code?: number, reason?: string | Buffer): void;
  terminate(): void;
  send(data: unknown, options?: unknown, cb?: unknown): void;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** A ws 8 `WebSocketServer` as the agent sees it. */
export interface WsServerInternals {
  options: { path?: string | null };
  close(cb?: (err?: Error) => void): void;
  once(event: string, listener: () => void): unknown;
}

export type UpgradeRequest = IncomingMessage;

/** ws's `readyState` values. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 3;
