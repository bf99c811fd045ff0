import type { Classification, ClassifyInput } from '../classify-types.js';
import { buildContext, type ClassifyOptions } from './context.js';
import { CLASSIFY_RULES, ruleCause } from './rules.js';
import { unknownEvidence } from './unknown-evidence.js';

/**
 * Explains why a connection closed from the client's and/or the server's span: the first row of
 * CLASSIFY_RULES that holds decides; with none, the cause is `unknown` and the evidence says which
 * record is missing. Pure: no clock, no I/O.
 */
export function classifyClose(input: ClassifyInput, options: ClassifyOptions = {}): Classification {
  const ctx = buildContext(input ?? {}, options);
  for (const rule of CLASSIFY_RULES) {
    if (!rule.when(ctx)) continue;
    return { cause: ruleCause(rule, ctx), evidence: rule.evidence(ctx), rule: rule.id };
  }
  return { cause: 'unknown', evidence: unknownEvidence(ctx), rule: 'fallback.unknown' };
}
