import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { AppConfig, loadConfig } from '../../src/config/config';
import { SeedService } from '../../src/seed/seed.service';
import { createTestDatabase, dropTestDatabase } from './database';

export const COACH_EMAIL = 'coach@example.test';
export const COACH_PASSWORD = 'coach-password-123';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  databaseUrl: string;
  http: () => ReturnType<typeof request>;
  /** Base URL when started with `listen: true`. */
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse an existing database (e.g. a second instance on the same database). */
  databaseUrl?: string;
  listen?: boolean;
  workers?: boolean;
  seed?: boolean;
}

/** One ENCRYPTION_KEY per test database, so a second instance on the same database uses the same key. */
const keysByDatabase = new Map<string, string>();

/** The production app (same bootstrap as main.ts) on a fresh database of its own. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.databaseUrl ? null : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? db!.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-test-data-')),
    ENCRYPTION_KEY: keysByDatabase.get(databaseUrl) ?? randomBytes(32).toString('base64'),
    COACH_EMAIL,
    COACH_PASSWORD,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Tests read slots right after changing what they depend on; test/e2e/slots-answers.test.ts
    // runs with the production default.
    SLOTS_ANSWER_MS: '0',
    ...options.env,
  });
  if (!keysByDatabase.has(databaseUrl))
    keysByDatabase.set(databaseUrl, config.encryptionKey.toString('base64'));
  const app = await createApp(config, {
    databaseUrl,
    workers: options.workers ?? true,
    poolSize: 10,
  });
  if (options.seed !== false) {
    await app.get(SeedService).run();
  }
  let baseUrl = '';
  if (options.listen) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await app.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
  }
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    databaseUrl,
    baseUrl,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      if (db) await dropTestDatabase(db.name);
    },
  };
}

/** POST /api/auth/login with these words (the test checks the answer). */
export function postLogin(t: TestApp, email: string, password: string): request.Test {
  return t.http().post('/api/auth/login').send({ email, password });
}

/** POST /api/auth/password-reset: asks for a reset link (always 202; the mail comes from a job). */
export function requestReset(t: TestApp, email: string): request.Test {
  return t.http().post('/api/auth/password-reset').send({ email });
}

export async function loginAs(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.http().post('/api/auth/login').send({ email, password }).expect(200);
  return (res.body as { token: string }).token;
}

/** A test app (as `startTestApp` starts it) with the coach signed in: her session token. */
export async function startWithCoach(
  options: TestAppOptions = {},
): Promise<{ t: TestApp; coach: string }> {
  const t = await startTestApp(options);
  try {
    return { t, coach: await loginAs(t, COACH_EMAIL, COACH_PASSWORD) };
  } catch (e) {
    await t.close();
    throw e;
  }
}

export async function signup(
  t: TestApp,
  email: string,
  name = 'Test Person',
  password = 'a-long-password',
): Promise<string> {
  const res = await t.http().post('/api/auth/signup').send({ email, password, name }).expect(201);
  return (res.body as { token: string }).token;
}

/** Loads a page (as `session`, if given) and returns the cookie header and CSRF token its forms use. */
export async function pageForm(
  t: TestApp,
  path: string,
  session?: string,
): Promise<{ cookie: string; csrf: string }> {
  const req = t.http().get(path);
  if (session) req.set('cookie', `mend_session=${session}`);
  const res = await req.expect(200);
  // A shared public page (anonymous, see src/public-cache) carries an empty token: its forms need none.
  const csrf = /name="_csrf" value="([^"]*)"/.exec(res.text)![1];
  const setCookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0]);
  return {
    cookie: [...setCookie, ...(session ? [`mend_session=${session}`] : [])].join('; '),
    csrf,
  };
}
