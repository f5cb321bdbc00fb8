import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrationsLocked } from '../../src/database/migrate';
import { TEMPLATE_DB } from './pg-env';

type Holder = { stop: () => Promise<void>; refs: number };
const g = globalThis as typeof globalThis & { __mendPg?: Holder };

/**
 * One PostgreSQL cluster per test run (shared by every layer that needs it), and one migrated
 * template database that each test file copies into a fresh database of its own.
 */
export default async function globalSetup(): Promise<void> {
  if (g.__mendPg) {
    g.__mendPg.refs += 1;
    return;
  }
  // A folder PostgreSQL's own user can reach when tests run as root (the programs, if this checkout
  // is in a 0700 folder, are made reachable by startEmbeddedPostgres itself).
  const root = mkdtempSync(join(tmpdir(), 'mend-test-pg-'));
  chmodSync(root, 0o755);
  const dir = join(root, 'postgres');
  const pg = await startEmbeddedPostgres({ dir, database: TEMPLATE_DB });
  const base = pg.url.slice(0, pg.url.lastIndexOf('/'));
  process.env.MEND_TEST_PG_BASE = base;
  // A test may point a second Mend at this very data (DATA_DIR=dirname) to see it refused.
  process.env.MEND_TEST_PG_DIR = dir;
  g.__mendPg = {
    stop: async () => {
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    },
    refs: 1,
  };

  const ds = new DataSource(dataSourceOptions(pg.url, { poolSize: 2 }));
  await ds.initialize();
  await runMigrationsLocked(ds);
  await ds.destroy();
  // Create pg-boss's schema once in the template, so each test app starts its queue quickly.
  const boss = new PgBoss({ connectionString: pg.url, max: 2, supervise: false, schedule: false });
  // Without a listener, an idle connection ended by the terminate below crashed the whole run.
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [TEMPLATE_DB],
  );
  await admin.end();
}
