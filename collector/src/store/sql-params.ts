/** Positional parameters `$1, $2 …`, the placeholder syntax both DuckDB and PostgreSQL accept. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
