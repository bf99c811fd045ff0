import { cutText } from '../well-formed-text.js';

/** The label value that stands for every value past a label's cap. */
export const OTHER_LABEL_VALUE = '__other__';
const MAX_LABEL_VALUE_LENGTH = 128;

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`label cap must be a positive integer, got ${limit}`);
  return limit;
}

/**
 * Bounds the distinct values one Prometheus label takes: the first `limit` values seen pass through,
 * later new ones become `__other__`, so a flood of routes or services cannot explode series.
 */
export class LabelCap {
  readonly #limit: number;
  readonly #seen = new Set<string>();

  constructor(limit: number) {
    this.#limit = checkLimit(limit);
  }

  value(raw: string): string {
    const value = cutText(raw, MAX_LABEL_VALUE_LENGTH);
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.#limit) return OTHER_LABEL_VALUE;
    this.#seen.add(value);
    return value;
  }
}

/** A LabelCap per value of another label (routes per service), so one service's values never push out another's. */
export class LabelCapPer {
  readonly #limit: number;
  readonly #caps = new Map<string, LabelCap>();

  constructor(limit: number) {
    this.#limit = checkLimit(limit);
  }

  value(owner: string, raw: string): string {
    let cap = this.#caps.get(owner);
    if (cap === undefined) this.#caps.set(owner, (cap = new LabelCap(this.#limit)));
    return cap.value(raw);
  }
}
