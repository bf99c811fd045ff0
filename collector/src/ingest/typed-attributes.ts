import { ATTRIBUTE_TYPES, RESOURCE_ATTRIBUTE_KEYS, SNIPPET_KEYS, type AttributeType, type AttributeValue } from '@closewatch/conventions';
import { cutText } from '../well-formed-text.js';

/** Keys kept before app attributes when a span has more than the cap: the contract's, and the snippet's short ones. */
export const KNOWN_SPAN_KEYS: ReadonlySet<string> = new Set([...Object.keys(ATTRIBUTE_TYPES), ...Object.values(SNIPPET_KEYS)]);
export const KNOWN_RESOURCE_KEYS: ReadonlySet<string> = new Set(RESOURCE_ATTRIBUTE_KEYS);

/** Longest quote of a dropped value in a note. */
const MAX_QUOTE = 40;

/** A decimal number spelled as a string ("1006", " 42.5 "), as some exporters send numeric attributes. */
function parseNumber(value: AttributeValue): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isNaN(number) ? null : number;
}

/** The value in the key's type, or undefined when it has none. */
function typed(value: AttributeValue, type: AttributeType): AttributeValue | undefined {
  switch (type.kind) {
    case 'int': {
      const number = parseNumber(value);
      return number !== null && Number.isInteger(number) && number >= type.min && number <= type.max ? number : undefined;
    }
    case 'duration': {
      const number = parseNumber(value);
      return number !== null && Number.isFinite(number) && number >= 0 ? number : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    default:
      return value;
  }
}

function expected(type: AttributeType): string {
  if (type.kind === 'int') return `an integer in [${type.min}, ${type.max}]`;
  return type.kind === 'duration' ? 'a duration in ms ≥ 0' : `a ${type.kind}`;
}

/**
 * Puts the contract's numeric and boolean keys in their types, in place: numeric strings ("1006") and
 * "true"/"false" are parsed here, once, so the classifier, the stored record, the API and the metrics
 * all see the same value; a value that does not fit (1006.7, -5 ms, "soon") is dropped and described
 * in `notes`. Strings and app attributes are kept as sent.
 */
export function applyAttributeTypes(attributes: Record<string, AttributeValue>, where: string, notes: string[]): void {
  for (const key in attributes) {
    const type = ATTRIBUTE_TYPES[key];
    if (type === undefined || type.kind === 'string' || type.kind === 'string[]') continue;
    const value = attributes[key];
    const fitted = typed(value, type);
    if (fitted === value) continue;
    if (fitted !== undefined) {
      attributes[key] = fitted;
      continue;
    }
    delete attributes[key];
    notes.push(`${where}: ${key} ${cutText(JSON.stringify(value), MAX_QUOTE)} is not ${expected(type)}; dropped`);
  }
}
