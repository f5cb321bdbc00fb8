import { Client } from 'pg';
import { JobsService } from '../../src/jobs/jobs.service';
import { WORKER_APP_PREFIX } from '../../src/jobs/wakeups';
import { MailService } from '../../src/mail/mail.service';
import { signup, startTestApp, TestApp } from '../support/app';
import { MailCatcher } from '../support/mail-catcher';
import { adminUrl } from '../support/pg-env';

jest.setTimeout(90_000);

/**
 * Every connection of the app's database terminated while requests are inside their queries and
 * transactions: each gets a clean 503 (or its answer), the process lives on, and the web side and
 * the workers (whose LISTEN connection was cut too) recover by themselves.
 */
describe('Database connections terminated mid-request', () => {
  const mail = new MailCatcher();
  let t: TestApp;
  let dbName: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: { MAIL_URL: await mail.start(), RATE_LIMIT_PER_MINUTE: '100000' },
    });
    dbName = (await t.dataSource.query('SELECT current_database() AS name'))[0].name as string;
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  async function terminateAll(except: number[] = []): Promise<number> {
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      const res = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> ALL($2::int[]) AND pid <> pg_backend_pid()`,
        [dbName, except],
      );
      return res.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it('a request waiting inside its transaction when its connection is killed answers a clean 503', async () => {
    // Hold the subscriber row, so the subscribe request waits on it inside its transaction.
    await t
      .http()
      .post('/api/newsletter/subscribe')
      .send({ email: 'held@example.com' })
      .expect(202);
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `SELECT 1 FROM newsletter_subscribers WHERE email = 'held@example.com' FOR UPDATE`,
    );
    const blockerPid = (
      (await blocker.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[]
    )[0].pid;
    const pending = t
      .http()
      .post('/api/newsletter/subscribe')
      .send({ email: 'held@example.com' })
      .then((r) => r);
    // Wait until the request is really inside its transaction, blocked on the row.
    for (let i = 0; i < 100; i++) {
      const waiting = (
        await blocker.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
          [dbName],
        )
      ).rows as { n: number }[];
      if (waiting[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await terminateAll([blockerPid])).toBeGreaterThan(0);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(JSON.stringify(res.body)).not.toMatch(/terminat|SQL|select|stack/i);
    await blocker.query('ROLLBACK');
    await blocker.end();
  });

  it('a burst of requests while every connection is cut: only answers and clean 503s; then service, mail and jobs again', async () => {
    const token = await signup(t, 'burst@example.com');
    const burst = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? t.http().get('/api/me').set('authorization', `Bearer ${token}`)
        : t
            .http()
            .post('/api/newsletter/subscribe')
            .send({ email: `burst${i}@example.com` }),
    );
    const answers = Promise.all(burst.map((r) => r.then((x) => x)));
    await terminateAll();
    await new Promise((r) => setTimeout(r, 20));
    await terminateAll();
    const results = await answers;
    for (const r of results) {
      expect([200, 202, 503]).toContain(r.status);
      if (r.status === 503) expect(r.body.code).toBe('SERVICE_UNAVAILABLE');
    }

    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await t.http().get('/api/me').set('authorization', `Bearer ${token}`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    await t.http().get('/health/ready').expect(200);
    // The worker lost its LISTEN connection too (its liveness mark for claimed mail): it reconnects.
    const mark = WORKER_APP_PREFIX + t.app.get(JobsService).workerId;
    let listening = 0;
    for (let i = 0; i < 100 && !listening; i++) {
      listening = (
        (await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
          [mark],
        )) as { n: number }[]
      )[0].n;
      if (!listening) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listening).toBe(1);
    // And mail flows again.
    await t.dataSource.transaction((m) =>
      t.app.get(MailService).enqueue(m, {
        kind: 'test',
        to: 'after@example.com',
        subject: 'After the cut',
        text: 'still here',
      }),
    );
    await mail.waitFor((m) => m.subject === 'After the cut', 30_000);
  });
});
