import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * The one runner for statements that repositories wrote themselves (a composed statement, see
 * composed-statement.ts, or a hot-path read): it owns no table and writes no SQL.
 */

/** Statement names by text (a few shapes, hashed once). */
const names = new Map<string, string>();

/**
 * Runs a statement: inside the caller's transaction when `m` belongs to one, else straight on the
 * pool as a named (prepared) statement, so that PostgreSQL parses and plans it once per
 * connection rather than once per request (the name is a hash of the text). Errors from the pool
 * carry PostgreSQL's `code` as well (read it with `pgCode`, pg-code.ts).
 */
export async function runStatement<Row extends QueryResultRow>(
  dataSource: DataSource,
  m: EntityManager | undefined,
  statement: { text: string; values: unknown[] },
): Promise<Row[]> {
  if (m?.queryRunner) return (await m.query(statement.text, statement.values)) as Row[];
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  let name = names.get(statement.text);
  if (!name) {
    name = `mend_${createHash('sha1').update(statement.text).digest('hex').slice(0, 20)}`;
    if (names.size < 1000) names.set(statement.text, name);
  }
  const result = await pool.query<Row>({
    name,
    text: statement.text,
    values: statement.values,
  });
  return result.rows;
}
