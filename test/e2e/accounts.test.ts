import { MailCatcher, linkIn } from '../support/mail-catcher';
import { awayFromWindowEdge } from '../support/windows';
import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  postLogin,
  requestReset,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';

describe('Accounts API', () => {
  let t: TestApp;
  const mail = new MailCatcher();

  beforeAll(async () => {
    const mailUrl = await mail.start();
    t = await startTestApp({ env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  it('signs up, reads /api/me, logs out and the token stops working', async () => {
    const res = await t
      .http()
      .post('/api/auth/signup')
      .send({ email: 'Ana@Example.com', password: 'ten-chars-ok', name: 'Ana' })
      .expect(201);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      email: 'ana@example.com',
      name: 'Ana',
      preferredName: null,
      pronouns: null,
      timeZone: null,
      role: 'client',
    });
    expect(res.body.user.passwordHash).toBeUndefined();
    const token = res.body.token as string;
    const me = await t.http().get('/api/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toEqual({
      id: res.body.user.id,
      email: 'ana@example.com',
      name: 'Ana',
      preferredName: null,
      pronouns: null,
      timeZone: null,
      role: 'client',
    });
    await t.http().post('/api/auth/logout').set('authorization', `Bearer ${token}`).expect(204);
    const after = await t.http().get('/api/me').set('authorization', `Bearer ${token}`).expect(401);
    expect(after.body).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'UNAUTHENTICATED',
    });
  });

  it('stores only a hash of the session token and an argon2id password hash', async () => {
    const token = await signup(t, 'hash@example.com');
    const rows: { token_hash: string }[] = await t.dataSource.query(
      `SELECT token_hash FROM auth_sessions`,
    );
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
    const [user] = await t.dataSource.query(
      `SELECT password_hash FROM users WHERE email = 'hash@example.com'`,
    );
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('refuses a taken email with 409 EMAIL_TAKEN', async () => {
    await signup(t, 'taken@example.com');
    const res = await t
      .http()
      .post('/api/auth/signup')
      .send({ email: 'TAKEN@example.com', password: 'another-password', name: 'X' })
      .expect(409);
    expect(res.body.code).toBe('EMAIL_TAKEN');
  });

  it('validates signup bodies: short password, bad email, unknown fields, wrong types', async () => {
    const res = await t
      .http()
      .post('/api/auth/signup')
      .send({ email: 'nope', password: 'short', name: 'A', admin: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.details).sort()).toEqual(['admin', 'email', 'password']);
    const wrongType = await t
      .http()
      .post('/api/auth/signup')
      .send({ email: 'a@b.co', password: 12345678901, name: 'A' })
      .expect(400);
    expect(wrongType.body.details.password).toBeDefined();
    const long = await t
      .http()
      .post('/api/auth/signup')
      .send({ email: 'long@b.co', password: 'x'.repeat(10), name: 'n'.repeat(500) })
      .expect(400);
    expect(long.body.details.name).toBeDefined();
  });

  it('answers malformed JSON with 400 in the error shape, without internals', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|node_modules|SELECT/);
  });

  it('logs in with the same 401 for unknown email and wrong password', async () => {
    await signup(t, 'login@example.com', 'Lee', 'right-password');
    const wrong = await postLogin(t, 'login@example.com', 'wrong-password').expect(401);
    const unknown = await postLogin(t, 'nobody@example.com', 'wrong-password').expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    const ok = await postLogin(t, 'LOGIN@example.com', 'right-password').expect(200);
    expect(ok.body.user.email).toBe('login@example.com');
  });

  it('answers 429 after repeated failed logins, even with the right password', async () => {
    await signup(t, 'limited@example.com', 'Lim', 'right-password');
    await awayFromWindowEdge(15 * 60_000);
    for (let i = 0; i < 10; i++) {
      await postLogin(t, 'limited@example.com', 'bad-password').expect(401);
    }
    const res = await postLogin(t, 'limited@example.com', 'right-password').expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    const [row] = await t.dataSource.query(
      `SELECT count FROM rate_limit_counters WHERE key LIKE 'login-failure:limited@example.com|%'`,
    );
    expect(row.count).toBe(10);
  });

  it('resets a password by mail: single use, all sessions end', async () => {
    const oldToken = await signup(t, 'reset@example.com', 'Rae', 'old-password-1');
    await requestReset(t, 'reset@example.com').expect(202);
    await requestReset(t, 'unknown@example.com').expect(202);
    const m = await mail.waitFor(
      (x) => x.to.includes('reset@example.com') && /Reset/.test(x.subject),
    );
    const token = new URL(linkIn(m, '/password-reset?token=')).searchParams.get('token')!;
    await t
      .http()
      .post('/api/auth/password-reset/confirm')
      .send({ token, password: 'new-password-2' })
      .expect(204);
    await t.http().get('/api/me').set('authorization', `Bearer ${oldToken}`).expect(401);
    const again = await t
      .http()
      .post('/api/auth/password-reset/confirm')
      .send({ token, password: 'third-password' })
      .expect(400);
    expect(again.body.code).toBe('INVALID_TOKEN');
    await loginAs(t, 'reset@example.com', 'new-password-2');
    await postLogin(t, 'reset@example.com', 'old-password-1').expect(401);
    expect(mail.to('unknown@example.com')).toHaveLength(0);
  });

  it('expires reset tokens after an hour', async () => {
    await signup(t, 'expire@example.com', 'Ex', 'old-password-1');
    await requestReset(t, 'expire@example.com').expect(202);
    const m = await mail.waitFor((x) => x.to.includes('expire@example.com'));
    const token = new URL(linkIn(m, '/password-reset?token=')).searchParams.get('token')!;
    await t.dataSource.query(
      `UPDATE password_reset_tokens SET expires_at = now() - interval '1 second'`,
    );
    await t
      .http()
      .post('/api/auth/password-reset/confirm')
      .send({ token, password: 'new-password-2' })
      .expect(400);
  });

  it('gives a guest-known email 202 check_email and a set-password link', async () => {
    await t.dataSource.query(
      `INSERT INTO users (email, name, role) VALUES ('guest@example.com', 'Guest', 'client')`,
    );
    const res = await t
      .http()
      .post('/api/auth/signup')
      .send({ email: 'guest@example.com', password: 'attacker-pass', name: 'Mallory' })
      .expect(202);
    expect(res.body).toEqual({ status: 'check_email' });
    const [u] = await t.dataSource.query(
      `SELECT password_hash, name FROM users WHERE email = 'guest@example.com'`,
    );
    expect(u.password_hash).toBeNull();
    const m = await mail.waitFor((x) => x.to.includes('guest@example.com'));
    expect(m.subject).toMatch(/Set your Mend password/);
  });

  it('ensures the coach from COACH_EMAIL and guards coach routes with 403', async () => {
    const coachToken = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    const me = await t
      .http()
      .get('/api/me')
      .set('authorization', `Bearer ${coachToken}`)
      .expect(200);
    expect(me.body.role).toBe('coach');
    const clientToken = await signup(t, 'client403@example.com');
    const page = await t
      .http()
      .get('/coach')
      .set('cookie', `mend_session=${clientToken}`)
      .expect(403);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('never overwrites an existing coach password at start-up', async () => {
    const second = await startTestApp({
      databaseUrl: t.databaseUrl,
      env: { COACH_PASSWORD: 'a-different-password' },
      workers: false,
    });
    try {
      await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    } finally {
      await second.close();
    }
  });

  it('does not accept the session cookie on the JSON API (bearer only) nor bearer on pages', async () => {
    const token = await signup(t, 'cookie@example.com');
    await t.http().get('/api/me').set('cookie', `mend_session=${token}`).expect(401);
    await t.http().get('/account').set('authorization', `Bearer ${token}`).expect(303);
  });
});
