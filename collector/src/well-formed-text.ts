declare global {
  // ES2024, in Node since 20 (V8 11.1); the project's lib is ES2023
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * Text every store and Prometheus can hold. JavaScript strings and JSON may carry lone UTF-16
 * surrogates (`"\ud83d"` is valid JSON), which DuckDB's and PostgreSQL's JSON refuse and UTF-8 cannot
 * encode; a cut by UTF-16 length can make one out of an emoji. Lone surrogates become U+FFFD.
 */
export function wellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** At most `max` UTF-16 units of `text`, cut on a whole code point, and well-formed. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return wellFormed(text);
  return wellFormed(text.slice(0, isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max));
}
