import { matchIntermediaryTimeouts, type IntermediaryTimeout } from '../intermediaries.js';
import type { ClassifyContext } from './context.js';
import type { SideFacts } from './side-facts.js';
import { abruptEnding, errorMessage } from './signals.js';
import { duration, handshakeDuration, sentence } from './wording.js';
import {
  CLOSE_ABNORMAL,
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL_ERROR,
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_POLICY_VIOLATION,
  CLOSE_PROTOCOL_ERROR,
  CLOSE_SERVICE_RESTART,
  CLOSE_TRY_AGAIN_LATER,
  CLOSE_UNSUPPORTED_DATA,
} from '../close-code-values.js';

/** Facts that combine both sides (statuses, who sent which code, proxy matches), shared by the rules. */

export const AUTH_STATUSES = new Set([401, 403]);
export const TIMEOUT_STATUSES = new Set([408, 504]);
export const SHUTDOWN_CODES = new Set([CLOSE_GOING_AWAY, CLOSE_SERVICE_RESTART, CLOSE_TRY_AGAIN_LATER]);
export const FRAME_REJECT_CODES = new Set([CLOSE_PROTOCOL_ERROR, CLOSE_UNSUPPORTED_DATA, CLOSE_INVALID_PAYLOAD, CLOSE_POLICY_VIOLATION, CLOSE_MESSAGE_TOO_BIG]);

export const isAuthStatus = (status: number) => AUTH_STATUSES.has(status);
export const isTimeoutStatus = (status: number) => TIMEOUT_STATUSES.has(status);
export const isShutdownCode = (code: number) => SHUTDOWN_CODES.has(code);
export const isFrameRejectCode = (code: number) => FRAME_REJECT_CODES.has(code);
export const isInternalErrorCode = (code: number) => code === CLOSE_INTERNAL_ERROR;

export const first = <T>(items: readonly T[], pick: (item: T) => boolean): T | undefined => items.find(pick);
export const isAppCode = (code: number | undefined) => code !== undefined && code >= 3000 && code <= 4999;

/** The first side whose upgrade got a non-101 status that passes `test`. */
export function statusSide(ctx: ClassifyContext, test: (status: number) => boolean): SideFacts | undefined {
  for (const side of ctx.sides) {
    if (side.status !== undefined && side.status !== 101 && test(side.status)) return side;
  }
  return undefined;
}

export function statusEvidence(ctx: ClassifyContext, side: SideFacts): string[] {
  const evidence = [
    side.side === 'server'
      ? `The server answered the upgrade request with HTTP ${side.status} instead of 101 Switching Protocols.`
      : `The client received HTTP ${side.status} instead of 101 Switching Protocols ("Unexpected server response").`,
  ];
  const { client } = ctx;
  if (client && client !== side && client.who === 'the browser') {
    evidence.push(`The browser only saw close code ${client.code ?? CLOSE_ABNORMAL}: browsers hide the status of a rejected upgrade.`);
  }
  return evidence;
}

const ANY_MESSAGE = /./;

export function clientFailure(ctx: ClassifyContext): string {
  const { client } = ctx;
  if (!client) return '';
  const message = errorMessage(client, ANY_MESSAGE);
  const error = message ? `: "${message}",` : client.errorType ? ` with ${client.errorType}` : '';
  return `${client.who} failed the handshake${error} after ${duration(handshakeDuration(client))}`;
}

export function serverClosedWith(ctx: ClassifyContext, codes: (code: number) => boolean): SideFacts | undefined {
  const { client, server } = ctx;
  if (server?.code !== undefined && codes(server.code) && server.initiator !== 'client') return server;
  if (client?.code !== undefined && codes(client.code) && client.initiator !== 'client') return client;
  return undefined;
}

/** `nginx / ingress-nginx (proxy_read_timeout, 60 s) or AWS …`. */
function timeoutNames(matches: readonly IntermediaryTimeout[]): string {
  return matches.map((match) => `${match.name} (${match.setting}, ${duration(match.timeoutMs)})`).join(' or ');
}

export function intermediaryMatch(ctx: ClassifyContext): string | null {
  const { intermediaryTimeouts, intermediaryToleranceMs } = ctx.options;
  for (const side of ctx.sides) {
    if (side.idleMs !== undefined) {
      const matches = matchIntermediaryTimeouts(side.idleMs, 'idle', intermediaryTimeouts, intermediaryToleranceMs);
      if (matches.length > 0) {
        return `${side.who} measured ${duration(side.idleMs)} without any frame before the close, which matches the idle timeout of ${timeoutNames(matches)}`;
      }
    }
    const lifetime = side.openMs ?? side.endTimeMs - side.startTimeMs;
    const matches = matchIntermediaryTimeouts(lifetime, 'lifetime', intermediaryTimeouts, intermediaryToleranceMs);
    if (matches.length > 0) {
      return `the connection was open for ${duration(lifetime)}, which matches the connection time limit of ${timeoutNames(matches)}`;
    }
  }
  return null;
}

/** The first side whose agent recorded a cause other than `unknown`. */
export function hinted(ctx: ClassifyContext): SideFacts | undefined {
  for (const side of ctx.sides) if (side.hint !== undefined && side.hint !== 'unknown') return side;
  return undefined;
}

/** The error status of a rejected upgrade: the server's (any non-101 from 300 up), else a Node client's (400 up). */
export function httpRejection(ctx: ClassifyContext): SideFacts | undefined {
  const rejected = (status: number | undefined, from: number) =>
    status !== undefined && status >= from && !AUTH_STATUSES.has(status) && !TIMEOUT_STATUSES.has(status);
  if (ctx.server && rejected(ctx.server.status, 300)) return ctx.server;
  if (ctx.client && rejected(ctx.client.status, 400)) return ctx.client;
  return undefined;
}

/** The server's view of a drop the client caused. */
export function serverConsequence(ctx: ClassifyContext): string[] {
  return ctx.server ? [sentence(`${abruptEnding(ctx.server)}, a consequence of the client disappearing`)] : [];
}
