import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * The PostgreSQL error code of a failed query (23505 unique, 23P01 exclusion), if it is one:
 * through TypeORM (QueryFailedError) or straight from the pool (a composed statement, see
 * database/composed-statement.ts).
 */
export function pgCode(e: unknown): string | undefined {
  if (e instanceof QueryFailedError) return (e.driverError as { code?: string }).code;
  return e instanceof DatabaseError ? e.code : undefined;
}
