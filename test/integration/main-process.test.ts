import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/database/embedded-postgres';
import { SYSTEM_DIR, systemHomeFor } from '../../src/database/embedded-location';
import { createTestDatabase, dropTestDatabase } from '../support/database';
import { makeCheckout, spawnApp } from '../support/spawn-app';

const key = randomBytes(32).toString('base64');
const asRoot = process.getuid?.() === 0;

/** What a failed start printed, checked as a person would read it: one sentence, no stack trace. */
function expectOneSentence(output: string, sentence: RegExp): void {
  const lines = output.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(sentence);
  expect(output).not.toMatch(/node:events|Emitted 'error'|^\s+at /m);
}

/** PostgreSQL processes serving a data folder under `dir`. */
function postgresUnder(dir: string): string[] {
  return execSync('ps -eo pid=,args=')
    .toString()
    .split('\n')
    .filter((l) => l.includes(dir) && /postgres/.test(l) && !/ps -eo/.test(l));
}

describe('The app process (what npm start runs)', () => {
  it('stops with one clear message naming an invalid variable', async () => {
    const app = spawnApp({ PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-cfg-')) });
    expect(await app.exited).toBe(78);
    expect(app.output().trim()).toBe(
      'Invalid configuration: PORT must be a whole number (got "eighty")',
    );
  });

  it('says clearly when the database is unreachable, and exits instead of looping', async () => {
    const port = await freePort();
    const app = spawnApp({
      DATABASE_URL: `postgres://mend:pw@127.0.0.1:${port}/mend`,
      ENCRYPTION_KEY: key,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-db-')),
    });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/Could not prepare the database: .*ECONNREFUSED/);
    expect(app.output()).not.toMatch(/pw@/);
  });

  it('serves on DATABASE_URL, keeps secrets out of its logs, and stops cleanly on SIGTERM', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'mend-run-'));
    const app = spawnApp({
      DATABASE_URL: db.url,
      PORT: String(port),
      ENCRYPTION_KEY: key,
      DATA_DIR: dataDir,
      COACH_EMAIL: 'owner@example.test',
    });
    try {
      await app.waitFor(/Mend is running/);
      // A generated coach password goes to a file only its owner can read, never to the log.
      const file = join(dataDir, 'initial-coach-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').split('\n')[1];
      expect(password.length).toBeGreaterThanOrEqual(16);
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@example.test', password }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${base}/password-reset?token=url-secret-123`);
      await fetch(`${base}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc-1' },
        body: JSON.stringify({ email: 'p@example.com', password: 'body-secret-456', name: 'P' }),
      });
      await new Promise((r) => setTimeout(r, 300));
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      const log = app.output();
      expect(log).toMatch(/"reqId":"req-abc-1"|"id":"req-abc-1"/);
      for (const secret of [password, token, 'url-secret-123', 'body-secret-456'])
        expect(log).not.toContain(secret);
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
      // The app talks to its embedded PostgreSQL through the Unix socket in the data folder
      // (no client address); tools can still use TCP on 127.0.0.1 (this very query does).
      const cluster = join(dataDir, 'postgres', 'cluster');
      const pgPort = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n')[3];
      expect(existsSync(join(cluster, `.s.PGSQL.${pgPort}`))).toBe(true);
      const admin = new Client({
        host: '127.0.0.1',
        port: Number(pgPort),
        user: 'postgres',
        password: readFileSync(join(dataDir, 'postgres', 'password'), 'utf8').trim(),
        database: 'mend',
      });
      await admin.connect();
      try {
        const rows: { socket: boolean }[] = (
          await admin.query(
            `SELECT client_addr IS NULL AS socket FROM pg_stat_activity
             WHERE datname = 'mend' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
          )
        ).rows;
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.socket)).toBe(true);
      } finally {
        await admin.end();
      }
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
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'coach@mend.local', password: 'a-coach-password' }),
      });
      expect(login.status).toBe(200);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    }
    expect(postgresUnder(dataDir)).toEqual([]);
  });

  it('starts from a checkout inside a 0700 folder (a home folder, mktemp -d), finds its data again, and stops cleanly', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'mend-closed-'));
    chmodSync(parent, 0o700);
    const checkout = makeCheckout(parent);
    const requested = join(checkout, '.data', 'postgres');
    // As root, PostgreSQL runs as its own user, who can't enter the 0700 folder: the data goes to a folder of its own.
    const expectedCluster = asRoot
      ? join(systemHomeFor(requested), 'cluster')
      : join(requested, 'cluster');
    const port = await freePort();
    const env = { PORT: String(port), COACH_PASSWORD: 'a-coach-password' }; // no DATA_DIR: the default, ./.data
    try {
      const first = spawnApp(env, checkout);
      try {
        await first.waitFor(/Mend is running/, 180_000);
        expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
        // The summary says where the data is.
        expect(first.output()).toContain(`data: embedded PostgreSQL in ${expectedCluster}`);
        expect(existsSync(join(expectedCluster, 'PG_VERSION'))).toBe(true);
        first.child.kill('SIGINT');
        expect(await first.exited).toBe(0);
      } finally {
        if (first.child.exitCode === null) first.child.kill('SIGKILL');
      }
      expect(postgresUnder(expectedCluster)).toEqual([]);
      const second = spawnApp(env, checkout);
      try {
        await second.waitFor(/Mend is running/, 120_000);
        expect(second.output()).not.toMatch(/applied \d+ migration/);
        const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'coach@mend.local', password: 'a-coach-password' }),
        });
        expect(login.status).toBe(200);
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      } finally {
        if (second.child.exitCode === null) second.child.kill('SIGKILL');
      }
      expect(postgresUnder(expectedCluster)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
      if (asRoot && dirname(expectedCluster).startsWith(`${SYSTEM_DIR}/`))
        rmSync(dirname(expectedCluster), { recursive: true, force: true });
    }
  });

  describe('a failed embedded PostgreSQL ends the start with one sentence saying what to do', () => {
    it('when another PostgreSQL already uses the data folder', async () => {
      const dir = process.env.MEND_TEST_PG_DIR!; // the running cluster of this test run
      const app = spawnApp({ PORT: String(await freePort()), DATA_DIR: dirname(dir) });
      expect(await app.exited).toBe(1);
      expectOneSentence(
        app.output(),
        /^Another PostgreSQL \(probably another Mend\) is already using .*: stop it first, or set DATA_DIR to another folder\.$/,
      );
    });

    it('when the data folder was made by another PostgreSQL major version', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'mend-oldmajor-'));
      chmodSync(dataDir, 0o755);
      const cluster = join(dataDir, 'postgres', 'cluster');
      mkdirSync(cluster, { recursive: true });
      chmodSync(cluster, 0o700);
      // Enough of a PostgreSQL 16 cluster for the server to read its version and refuse it.
      writeFileSync(join(cluster, 'PG_VERSION'), '16\n');
      writeFileSync(join(cluster, 'postgresql.conf'), '');
      writeFileSync(join(dataDir, 'postgres', 'password'), 'x'.repeat(24), { mode: 0o600 });
      if (asRoot) {
        const id = (flag: string) => Number(execSync(`id ${flag} postgres`).toString());
        for (const path of [cluster, join(cluster, 'PG_VERSION'), join(cluster, 'postgresql.conf')])
          chownSync(path, id('-u'), id('-g'));
      }
      const app = spawnApp({ PORT: String(await freePort()), DATA_DIR: dataDir });
      expect(await app.exited).toBe(1);
      expectOneSentence(
        app.output(),
        new RegExp(
          `^The data in ${cluster} was made by PostgreSQL 16 and this Mend runs PostgreSQL \\d+: move that folder aside`,
        ),
      );
      rmSync(dataDir, { recursive: true, force: true });
    });

    // A real full disk: a 3 MB tmpfs (root can mount one here; elsewhere the test is skipped, and says so).
    const tinyDisk = (() => {
      if (!asRoot) return null;
      const dir = mkdtempSync(join(tmpdir(), 'mend-tiny-disk-'));
      try {
        execSync(`mount -t tmpfs -o size=3m,mode=755 tmpfs ${dir}`, { stdio: 'ignore' });
        return dir;
      } catch {
        rmSync(dir, { recursive: true, force: true });
        return null;
      }
    })();
    afterAll(() => {
      if (!tinyDisk) return;
      execSync(`umount ${tinyDisk}`);
      rmSync(tinyDisk, { recursive: true, force: true });
    });
    (tinyDisk ? it : it.skip)(
      'when the disk is full (a 3 MB file system; needs root and mount)',
      async () => {
        const dataDir = join(tinyDisk!, 'data');
        const app = spawnApp({ PORT: String(await freePort()), DATA_DIR: dataDir });
        expect(await app.exited).toBe(1);
        expectOneSentence(
          app.output(),
          new RegExp(
            `^The disk holding ${dataDir}/postgres/cluster is full: free some space .* and start Mend again\\.$`,
          ),
        );
        // No half-made cluster is left to be mistaken for a made one on the next start.
        expect(existsSync(join(dataDir, 'postgres', 'cluster', 'PG_VERSION'))).toBe(false);
      },
    );

    it('when the HTTP port is taken (before any PostgreSQL starts)', async () => {
      const port = await freePort();
      const holder: Server = createServer();
      await new Promise<void>((r) => holder.listen(port, '0.0.0.0', () => r()));
      const dataDir = mkdtempSync(join(tmpdir(), 'mend-port-'));
      try {
        const app = spawnApp({ PORT: String(port), DATA_DIR: dataDir });
        expect(await app.exited).toBe(1);
        expectOneSentence(
          app.output(),
          new RegExp(
            `^Port ${port} is already in use \\(another Mend\\?\\): stop that program, or set PORT to a free port\\.$`,
          ),
        );
        expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
      } finally {
        holder.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
