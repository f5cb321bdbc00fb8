import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { createTestDatabase, dropTestDatabase } from '../support/database';
import { spawnApp } from '../support/spawn-app';

const key = randomBytes(32).toString('base64');

/** PostgreSQL processes serving a data folder under `dir`. */
function postgresUnder(dir: string): string[] {
  return execSync('ps -eo pid=,args=').toString().split('\n').filter((l) => l.includes(dir) && /postgres/.test(l) && !/ps -eo/.test(l));
}

describe('The app process (what npm start runs)', () => {
  it('stops with one clear message naming an invalid variable', async () => {
    const app = spawnApp({ PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-cfg-')) });
    expect(await app.exited).toBe(78);
    expect(app.output().trim()).toBe('Invalid configuration: PORT must be a whole number (got "eighty")');
  });

  it('says clearly when the database is unreachable, and exits instead of looping', async () => {
    const port = await freePort();
    const app = spawnApp({ DATABASE_URL: `postgres://mend:pw@127.0.0.1:${port}/mend`, ENCRYPTION_KEY: key, DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-db-')) });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/Could not prepare the database: .*ECONNREFUSED/);
    expect(app.output()).not.toMatch(/pw@/);
  });

  it('serves on DATABASE_URL, keeps secrets out of its logs, and stops cleanly on SIGTERM', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'mend-run-'));
    const app = spawnApp({ DATABASE_URL: db.url, PORT: String(port), ENCRYPTION_KEY: key, DATA_DIR: dataDir, COACH_EMAIL: 'owner@example.test' });
    try {
      await app.waitFor(/Mend is running/);
      // A generated coach password goes to a file only its owner can read, never to the log.
      const file = join(dataDir, 'initial-coach-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').split('\n')[1];
      expect(password.length).toBeGreaterThanOrEqual(16);
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@example.test', password }) });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${base}/password-reset?token=url-secret-123`);
      await fetch(`${base}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc-1' }, body: JSON.stringify({ email: 'p@example.com', password: 'body-secret-456', name: 'P' }) });
      await new Promise((r) => setTimeout(r, 300));
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      const log = app.output();
      expect(log).toMatch(/"reqId":"req-abc-1"|"id":"req-abc-1"/);
      for (const secret of [password, token, 'url-secret-123', 'body-secret-456']) expect(log).not.toContain(secret);
      expect(log).toMatch(/stopped cleanly/);
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      await dropTestDatabase(db.name);
    }
  });

  it('starts the embedded PostgreSQL when DATABASE_URL is unset, reuses its data, and leaves no postgres behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mend-embedded-'));
    execSync(`chmod 755 ${dataDir}`);
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir, COACH_PASSWORD: 'a-coach-password' };
    const first = spawnApp(env);
    try {
      await first.waitFor(/Mend is running/, 90_000);
      const health = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(health.status).toBe(200);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
    expect(existsSync(join(dataDir, 'postgres', 'cluster', 'PG_VERSION'))).toBe(true);
    expect(postgresUnder(dataDir)).toEqual([]);
    // A second start reuses the data: the coach made on the first start can still sign in.
    const second = spawnApp(env);
    try {
      await second.waitFor(/Mend is running/, 60_000);
      expect(second.output()).not.toMatch(/applied \d+ migration/);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'coach@mend.local', password: 'a-coach-password' }) });
      expect(login.status).toBe(200);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    }
    expect(postgresUnder(dataDir)).toEqual([]);
  });
});
