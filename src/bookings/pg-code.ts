import { QueryFailedError } from 'typeorm';

/** The PostgreSQL error code of a failed query (23505 unique, 23P01 exclusion), if it is one. */
export function pgCode(e: unknown): string | undefined {
  return e instanceof QueryFailedError ? (e.driverError as { code?: string }).code : undefined;
}
