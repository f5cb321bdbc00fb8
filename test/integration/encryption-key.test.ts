import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../support/app';
import { createTestDatabase, dropTestDatabase } from '../support/database';
import { spawnApp } from '../support/spawn-app';

describe('ENCRYPTION_KEY check at start-up', () => {
  it('stops `npm start` with one clear message naming ENCRYPTION_KEY when the key is not the database’s', async () => {
    const db = await createTestDatabase();
    const databaseUrl = db.url;
    const first = await startTestApp({ databaseUrl, env: { ENCRYPTION_KEY: randomBytes(32).toString('base64') } });
    const [check] = await first.dataSource.query(`SELECT key_id FROM encryption_key_checks`);
    expect(check.key_id).toMatch(/^[0-9a-f]{8}$/);
    await first.close();
    try {
      const app = spawnApp({ DATABASE_URL: databaseUrl, ENCRYPTION_KEY: randomBytes(32).toString('base64'), DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-key-')) });
      expect(await app.exited).toBe(78);
      expect(app.output()).toMatch(/Invalid configuration: ENCRYPTION_KEY is not the key this database was encrypted with/);
      expect(app.output()).not.toMatch(/Mend is running/);
    } finally {
      await dropTestDatabase(db.name);
    }
  });
});
