/**
 * PostgreSQL text cannot hold NUL and jsonb rejects the \u0000 escape, while spans may carry either;
 * both become U+FFFD so one odd attribute cannot fail a whole batch.
 */
export function pgText<T extends string | null>(value: T): T {
  return (value === null ? null : value.replaceAll('\u0000', '\uFFFD')) as T;
}

export function pgJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}
