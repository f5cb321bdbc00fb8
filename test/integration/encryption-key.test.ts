import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { createTestDatabase, dropTestDatabase } from '../support/database';
import { spawnApp } from '../support/spawn-app';

const PHRASE = 'my grandmother’s blue kitchen door';

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

describe('The app process and private writing', () => {
  it('keeps reflections out of the logs, and stops with one message naming ENCRYPTION_KEY when the key is wrong', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      COACH_EMAIL: 'coach@example.test',
      COACH_PASSWORD: 'coach-password-123',
      LOG_LEVEL: 'debug',
    };
    const app = spawnApp({
      ...env,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-key-')),
    });
    try {
      await app.waitFor(/Mend is running/);
      const coach = (
        await call(base, 'POST', '/api/auth/login', {
          email: 'coach@example.test',
          password: 'coach-password-123',
        })
      ).json.token as string;
      const member = (
        await call(base, 'POST', '/api/auth/signup', {
          email: 'm@example.com',
          password: 'member-password-1',
          name: 'M',
        })
      ).json.token as string;
      expect(
        (
          await call(
            base,
            'POST',
            '/api/program/enrollments/grant',
            { email: 'm@example.com' },
            coach,
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await call(
            base,
            'PUT',
            '/api/me/program/steps/1/reflection',
            { text: `I remembered ${PHRASE}.`, sharedWithCoach: true },
            member,
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await call(
            base,
            'PUT',
            '/api/me/program/steps/1/reflection',
            { text: `${PHRASE} `.repeat(800) },
            member,
          )
        ).status,
      ).toBe(400);
      expect(
        (await call(base, 'PUT', '/api/me/program/steps/2/reflection', { text: PHRASE }, member))
          .status,
      ).toBe(403);
      expect(
        (await call(base, 'GET', '/api/me/program/steps/1', undefined, member)).json.reflection,
      ).toMatchObject({ text: `I remembered ${PHRASE}.` });
      await new Promise((r) => setTimeout(r, 300));
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.output()).toContain('/api/me/program/steps/1/reflection'); // the requests were logged…
      expect(app.output()).not.toContain('blue kitchen'); // …but never what was written
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
    try {
      const wrong = spawnApp({
        ...env,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'mend-key-')),
      });
      expect(await wrong.exited).toBe(78);
      expect(wrong.output()).toMatch(
        /Invalid configuration: ENCRYPTION_KEY is not the key this database was encrypted with/,
      );
      expect(wrong.output()).not.toMatch(/Mend is running/);
    } finally {
      await dropTestDatabase(db.name);
    }
  });
});
