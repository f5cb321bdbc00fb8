import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrationsLocked } from '../../src/database/migrate';
import { createTestDatabase, dropTestDatabase } from '../support/database';

describe('Database schema', () => {
  it('entities and committed migrations agree (a generate would find nothing)', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await ds.initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      await dropTestDatabase(db.name);
    }
  });

  it('migrates an empty database once even when two instances start together', async () => {
    const db = await createTestDatabase();
    const wipe = new DataSource(dataSourceOptions(db.url, { poolSize: 1 }));
    await wipe.initialize();
    await wipe.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await wipe.destroy();
    const a = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    const b = new DataSource(dataSourceOptions(db.url, { poolSize: 2 }));
    await Promise.all([a.initialize(), b.initialize()]);
    try {
      const [ranA, ranB] = await Promise.all([runMigrationsLocked(a), runMigrationsLocked(b)]);
      const all = [...ranA, ...ranB];
      expect(all.length).toBeGreaterThan(0);
      expect(new Set(all).size).toBe(all.length); // no migration ran twice
      const [{ count }] = await a.query('SELECT count(*)::int AS count FROM migrations');
      expect(count).toBe(all.length);
    } finally {
      await a.destroy();
      await b.destroy();
      await dropTestDatabase(db.name);
    }
  });
});
