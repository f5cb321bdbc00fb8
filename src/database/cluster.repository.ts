import type { Client } from 'pg';
import type { QueryRunner } from 'typeorm';

/**
 * The few statements Mend runs on the PostgreSQL cluster itself rather than on a module's
 * tables: making the application database in the embedded cluster, and the advisory lock that
 * serialises migrations between instances.
 */

/** Creates the database unless the cluster already has it (`client` is on the `postgres` database). */
export async function createDatabaseIfMissing(client: Client, database: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
}

/** Waits for the session-level advisory lock `key` on the runner's connection. */
export async function takeAdvisoryLock(runner: QueryRunner, key: number): Promise<void> {
  await runner.query('SELECT pg_advisory_lock($1)', [key]);
}

/** Releases the advisory lock `key` held by the runner's connection. */
export async function releaseAdvisoryLock(runner: QueryRunner, key: number): Promise<void> {
  await runner.query('SELECT pg_advisory_unlock($1)', [key]);
}
