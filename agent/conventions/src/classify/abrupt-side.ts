import type { ConnectionSide } from '../classify-types.js';
import type { Side } from '../phases.js';
import { readSide } from './side-facts.js';
import { isAbrupt } from './signals.js';

/** Ends the side's own agent caused: not a drop from outside. */
const OWN_TERMINATIONS = new Set(['terminate', 'process_exit', 'abort_handshake']);

/**
 * An open connection that ended without a closing handshake and not by its own side's hand (1006, a
 * socket error or end): the ends the collector counts into mass drops (docs/design.md "Mass drops").
 */
export function sideEndedAbruptly(side: Side, span: ConnectionSide): boolean {
  const facts = readSide(side, span);
  if (facts.phase === 'handshake' || facts.opened === false) return false;
  if (facts.termination !== undefined && OWN_TERMINATIONS.has(facts.termination)) return false;
  return isAbrupt(facts);
}
