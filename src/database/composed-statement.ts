/**
 * One SQL statement written by several repositories: each module adds the common table
 * expressions over its own tables (data-modifying ones included) and names what they return, so
 * a write that spans modules is one round trip and, being one statement, atomic without a
 * transaction. Values go in as numbered parameters (`param`); no value is ever spliced into the
 * text, so the text is the same for every request of one shape (and can be prepared once).
 * Repositories run it with `runStatement` (statements.repository.ts).
 *
 * Each fragment documents the columns its CTE returns: that is the contract the next fragment
 * (or the final SELECT) relies on, exactly as with busy-time sources (scheduling/busy-time.ts).
 */
export class ComposedStatement {
  private readonly values: unknown[] = [];
  private readonly ctes: string[] = [];

  /** A placeholder for `value`, with an optional cast (`param(x, 'uuid')` → `$3::uuid`). */
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }

  /** Adds `name AS (sql)`; later fragments may read `name`. */
  with(name: string, sql: string): this {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad CTE name ${name}`);
    this.ctes.push(`${name} AS (\n${sql}\n)`);
    return this;
  }

  /** The whole statement: the CTEs, then `finalSelect`. */
  build(finalSelect: string): { text: string; values: unknown[] } {
    const text = this.ctes.length ? `WITH ${this.ctes.join(',\n')}\n${finalSelect}` : finalSelect;
    return { text, values: [...this.values] };
  }
}
