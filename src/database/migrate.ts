import { DataSource } from 'typeorm';
import { releaseAdvisoryLock, takeAdvisoryLock } from './cluster.repository';

/** An arbitrary but fixed key: every Mend instance takes this lock before migrating. */
const MIGRATION_LOCK_KEY = 7_402_113_905;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock on a dedicated connection, so
 * that two instances starting together migrate one after the other (the second finds nothing to do).
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await takeAdvisoryLock(runner, MIGRATION_LOCK_KEY);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await releaseAdvisoryLock(runner, MIGRATION_LOCK_KEY).catch(() => undefined);
    await runner.release();
  }
}
