import type { StepError, UpgradeStep } from './report.js';
import { headerHasToken, headerValue, type ResponseHead } from './response-head.js';

/** The checks a browser makes on a 101 before it fires `open`, in the order it makes them. */
export function checkAcceptedUpgrade(step: UpgradeStep, head: ResponseHead): StepError | null {
  if (!headerHasToken(head.headers, 'Upgrade', 'websocket')) {
    return { code: 'UPGRADE_HEADER', message: `the 101 answer lacks "Upgrade: websocket" (got ${JSON.stringify(headerValue(head.headers, 'Upgrade'))})` };
  }
  if (!headerHasToken(head.headers, 'Connection', 'upgrade')) {
    return {
      code: 'CONNECTION_HEADER',
      message: `the 101 answer lacks "Connection: Upgrade" (got ${JSON.stringify(headerValue(head.headers, 'Connection'))})`,
    };
  }
  if (step.acceptCheck === 'missing') return { code: 'ACCEPT_MISSING', message: 'the 101 answer has no Sec-WebSocket-Accept header' };
  if (step.acceptCheck === 'invalid') {
    return { code: 'ACCEPT_MISMATCH', message: 'Sec-WebSocket-Accept does not match the key: something rewrote or cached the handshake' };
  }
  return checkSubprotocol(step) ?? checkExtensions(step.extensions);
}

function checkSubprotocol(step: UpgradeStep): StepError | null {
  const requested = step.requestedSubprotocols;
  if (step.subprotocol === null) {
    if (requested.length === 0) return null;
    return { code: 'SUBPROTOCOL_MISSING', message: `the probe asked for ${requested.join(', ')} and the server chose none; browsers fail such a connection` };
  }
  if (requested.includes(step.subprotocol)) return null;
  const asked = requested.length === 0 ? 'no subprotocol' : requested.join(', ');
  return { code: 'SUBPROTOCOL_MISMATCH', message: `the server chose subprotocol "${step.subprotocol}" but the probe asked for ${asked}` };
}

function checkExtensions(extensions: string | null): StepError | null {
  if (extensions === null) return null;
  const names = extensions.split(',').map((offer) => offer.split(';')[0].trim().toLowerCase());
  const unknown = names.find((name) => name !== 'permessage-deflate');
  return unknown === undefined ? null : { code: 'EXTENSION_NOT_OFFERED', message: `the server negotiated extension "${unknown}" that was not offered` };
}
