import type { CauseId, ClassifyInput } from '../../src/index.js';

/** A connection as the agents would report it, and what the classifier must conclude. */
export interface Scenario {
  name: string;
  input: ClassifyInput;
  cause: CauseId;
  /** Id of the CLASSIFY_RULES row that must decide (`fallback.unknown` for none). */
  rule: string;
  /** Facts the evidence must mention (case-insensitive substrings). */
  mentions: string[];
}
