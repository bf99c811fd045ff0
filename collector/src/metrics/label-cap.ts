/** The label value that stands for every value past a label's cap. */
export const OTHER_LABEL_VALUE = '__other__';
const MAX_LABEL_VALUE_LENGTH = 128;

/**
 * Bounds the distinct values one Prometheus label takes: the first `limit` values seen pass through,
 * later new ones become `__other__`, so a flood of routes or services cannot explode series.
 */
export class LabelCap {
  readonly #limit: number;
  readonly #seen = new Set<string>();

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`label cap must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  value(raw: string): string {
    const value = raw.length > MAX_LABEL_VALUE_LENGTH ? raw.slice(0, MAX_LABEL_VALUE_LENGTH) : raw;
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.#limit) return OTHER_LABEL_VALUE;
    this.#seen.add(value);
    return value;
  }
}
