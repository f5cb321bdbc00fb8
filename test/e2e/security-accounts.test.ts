import { MailCatcher, linkIn } from '../support/mail-catcher';
import { awayFromWindowEdge } from '../support/windows';
import { pageForm, postLogin, requestReset, signup, startTestApp, TestApp } from '../support/app';

/** Sign-in, re-checks and reset links, attacked as an outsider would. */
describe('Account security', () => {
  let t: TestApp;
  const mail = new MailCatcher();

  beforeAll(async () => {
    t = await startTestApp({
      env: { MAIL_URL: await mail.start(), RATE_LIMIT_PER_MINUTE: '1000' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  it('checks at most 10 of 60 parallel wrong passwords; the rest get 429 with the real time left', async () => {
    await signup(t, 'race@example.com', 'Race', 'right-password');
    await awayFromWindowEdge(15 * 60_000);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        t
          .http()
          .post('/api/auth/login')
          .send({ email: 'race@example.com', password: 'wrong-password' }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    const limited = answers.find((r) => r.status === 429)!;
    const retryAfter = Number(limited.headers['retry-after']);
    // What is left of the 15-minute window, not a fixed 60.
    const left = Math.ceil((15 * 60_000 - (Date.now() % (15 * 60_000))) / 1000);
    expect(Math.abs(retryAfter - left)).toBeLessThanOrEqual(3);
    const [row] = await t.dataSource.query(
      `SELECT count FROM rate_limit_counters WHERE key LIKE 'login-failure:race@example.com|%'`,
    );
    expect(row.count).toBe(10);
  });

  it('does not count a right password as a failure', async () => {
    await signup(t, 'fine@example.com', 'Fine', 'right-password');
    await awayFromWindowEdge(15 * 60_000);
    for (let i = 0; i < 12; i++)
      await postLogin(t, 'fine@example.com', 'right-password').expect(200);
  });

  it('locks out password guessing through DELETE /api/me after 10 wrong passwords', async () => {
    const token = await signup(t, 'erase@example.com', 'Erase', 'right-password');
    await awayFromWindowEdge(15 * 60_000);
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        t
          .http()
          .delete('/api/me')
          .set('authorization', `Bearer ${token}`)
          .send({ password: 'wrong-password' }),
      ),
    );
    expect(answers.filter((r) => r.status === 403)).toHaveLength(10);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(15);
    // Even the right password waits now; the account is still there.
    await t
      .http()
      .delete('/api/me')
      .set('authorization', `Bearer ${token}`)
      .send({ password: 'right-password' })
      .expect(429);
    await t.http().get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
  });

  it('locks out password guessing through the /account/delete page too', async () => {
    const session = await signup(t, 'erase-page@example.com', 'Erase', 'right-password');
    await awayFromWindowEdge(15 * 60_000);
    const { cookie, csrf } = await pageForm(t, '/account/delete', session);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await t
        .http()
        .post('/account/delete')
        .set('cookie', cookie)
        .type('form')
        .send({ _csrf: csrf, password: 'wrong-password' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('spends every older reset link when one is used', async () => {
    await signup(t, 'links@example.com', 'Links', 'old-password-1');
    for (let i = 0; i < 3; i++) await requestReset(t, 'links@example.com').expect(202);
    const deadline = Date.now() + 15_000;
    while (mail.to('links@example.com').length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const tokens = mail
      .to('links@example.com')
      .map((m) => new URL(linkIn(m, '/password-reset?token=')).searchParams.get('token')!);
    expect(tokens).toHaveLength(3);
    await t
      .http()
      .post('/api/auth/password-reset/confirm')
      .send({ token: tokens[2], password: 'new-password-2' })
      .expect(204);
    for (const token of tokens.slice(0, 2)) {
      const res = await t
        .http()
        .post('/api/auth/password-reset/confirm')
        .send({ token, password: 'attacker-password' })
        .expect(400);
      expect(res.body.code).toBe('INVALID_TOKEN');
    }
  });

  it('never follows a sign-in redirect off the site: tabs, backslashes, control and non-Latin-1 characters', async () => {
    for (const next of [
      '/%09/evil.com',
      '/%0a/evil.com',
      '/%5Cevil.com',
      '//evil.com',
      '/%E2%80%A8',
      '/caf%C3%A9',
      '/%7F',
    ]) {
      const page = await t.http().get(`/login?next=${next}`).expect(200);
      expect(page.text).not.toContain('evil.com');
      const { cookie, csrf } = await pageForm(t, '/login');
      const res = await t
        .http()
        .post('/login')
        .set('cookie', cookie)
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(csrf)}&email=fine%40example.com&password=right-password&next=${next}`,
        );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account');
    }
  });
});

describe('Password-reset requests', () => {
  it('do the same work for known and unknown addresses: one queued job, nothing else, before answering', async () => {
    const t = await startTestApp({ workers: false, env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    try {
      await signup(t, 'known@example.com', 'Known', 'right-password');
      await requestReset(t, 'known@example.com').expect(202);
      await requestReset(t, 'unknown@example.com').expect(202);
      const tokens = await t.dataSource.query(`SELECT 1 FROM password_reset_tokens`);
      expect(tokens).toHaveLength(0);
      const outbox = await t.dataSource.query(`SELECT 1 FROM mail_outbox`);
      expect(outbox).toHaveLength(0);
      const jobs: { data: { email: string } }[] = await t.dataSource.query(
        `SELECT data FROM pgboss.job WHERE name = 'password-reset-request' ORDER BY created_on`,
      );
      expect(jobs.map((j) => j.data.email)).toEqual(['known@example.com', 'unknown@example.com']);
    } finally {
      await t.close();
    }
  });
});
