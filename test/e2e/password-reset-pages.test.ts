import { MailCatcher, linkIn } from '../support/mail-catcher';
import { loginAs, pageForm, signup, startTestApp, TestApp } from '../support/app';
import { pagePoster } from '../support/forms';
import { eventually } from '../support/test-payable';

/**
 * The password-reset pages on the shared form helper: each field refused in plain words beside
 * it and in a summary that takes focus, the email kept, a spent link said plainly, and the
 * request form never telling whether an address has an account.
 */
describe('Password-reset pages', () => {
  const RESET_LIMIT = 10;
  const SPENT = 'This link has expired or was already used. Please ask for a new one.';
  const mail = new MailCatcher();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { MAIL_URL: await mail.start(), RATE_LIMIT_PER_MINUTE: String(RESET_LIMIT) },
    });
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  const queuedResets = async (): Promise<number> =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'password-reset-request'`,
      )
    )[0].n;

  /** The summary's entries as [href, text] pairs. */
  const summaryOf = (html: string): [string | null, string][] => {
    const box = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
    return [...box.matchAll(/<li>(?:<a href="#([\w-]+)">([^<]+)<\/a>|([^<]+))<\/li>/g)].map((m) => [
      m[1] ?? null,
      (m[2] ?? m[3]).trim(),
    ]);
  };

  /** What a check-email page says, without the per-request token. */
  const section = (html: string): string => /<section[\s\S]*?<\/section>/.exec(html)![0];

  /** Asks for a link through the page and returns the token the mail carries. */
  async function resetLinkFor(email: string): Promise<string> {
    const post = pagePoster(t, await pageForm(t, '/password-reset'));
    const sent = await post('/password-reset', { email }).expect(200);
    expect(sent.text).toContain('Check your email');
    // The mail is sent by a background job: wait for it (bounded), never assume it is there.
    const m = await mail.waitFor((x) => x.to.includes(email) && /Reset/.test(x.subject));
    return new URL(linkIn(m, '/password-reset?token=')).searchParams.get('token')!;
  }

  it('refuses a blank or mistyped email beside the field and in a focused summary, keeps it, and queues nothing', async () => {
    const post = pagePoster(t, await pageForm(t, '/password-reset'));
    const blank = await post('/password-reset', { email: '' }).expect(400);
    expect(blank.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
    expect(summaryOf(blank.text)).toEqual([
      ['email', 'Write your email address, like name@example.com.'],
    ]);
    expect(blank.text).toMatch(/id="email"[^>]*aria-invalid="true" aria-describedby="email-error"/);
    expect(blank.text).toContain('id="email-error"');

    const typo = await post('/password-reset', { email: 'sam@example' }).expect(400);
    expect(summaryOf(typo.text)).toEqual([
      ['email', 'Write your email address, like name@example.com.'],
    ]);
    expect(typo.text).toMatch(/id="email"[^>]*value="sam@example"/);
    expect(typo.text).not.toContain('must be');
    expect(await queuedResets()).toBe(0);
  });

  it('needs the page’s CSRF token', async () => {
    const { cookie } = await pageForm(t, '/password-reset');
    await t
      .http()
      .post('/password-reset')
      .set('cookie', cookie)
      .type('form')
      .send({ email: 'sam@example.com' })
      .expect(403);
    expect(await queuedResets()).toBe(0);
  });

  it('answers a known and an unknown address with the same page, and mails only the known one', async () => {
    await signup(t, 'known@example.com', 'Known', 'old-password-1');
    const post = pagePoster(t, await pageForm(t, '/password-reset'));
    const known = await post('/password-reset', { email: 'known@example.com' }).expect(200);
    const unknown = await post('/password-reset', { email: 'nobody@example.com' }).expect(200);
    expect(section(known.text)).toBe(section(unknown.text));
    expect(section(known.text)).toContain('If an account uses that address');
    await mail.waitFor((x) => x.to.includes('known@example.com'));
    // Both requests were queued as the same work; once both jobs have run (bounded wait), only
    // the known address got a mail.
    expect(await queuedResets()).toBe(2);
    await eventually(
      async () =>
        (
          await t.dataSource.query(
            `SELECT count(*)::int AS n FROM pgboss.job
              WHERE name = 'password-reset-request' AND state = 'completed'`,
          )
        )[0].n === 2,
    );
    const outbox: { to_address: string }[] = await t.dataSource.query(
      `SELECT to_address FROM mail_outbox WHERE to_address IN ('known@example.com', 'nobody@example.com')`,
    );
    expect(outbox.map((m) => m.to_address)).toEqual(['known@example.com']);
    expect(mail.to('nobody@example.com')).toHaveLength(0);
  });

  it('refuses a short or mismatched new password field by field, keeps the link, then saves and asks her to sign in', async () => {
    const session = await signup(t, 'rae@example.com', 'Rae', 'old-password-1');
    const token = await resetLinkFor('rae@example.com');
    const path = `/password-reset?token=${encodeURIComponent(token)}`;
    const page = await t.http().get(path).expect(200);
    expect(page.text).toContain('Choose a new password');
    expect(page.text).toContain(`name="token" value="${token}"`);
    const post = pagePoster(t, await pageForm(t, path));

    const short = await post('/password-reset/confirm', {
      token,
      password: 'short',
      confirmPassword: 'short',
    }).expect(400);
    expect(short.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
    expect(summaryOf(short.text)).toEqual([
      ['password', 'Choose a password of at least 10 characters.'],
    ]);
    expect(short.text).toMatch(
      /id="password"[^>]*aria-invalid="true" aria-describedby="password-error"/,
    );
    expect(short.text).toContain(`name="token" value="${token}"`);

    const mismatched = await post('/password-reset/confirm', {
      token,
      password: 'new-password-2',
      confirmPassword: 'new-password-3',
    }).expect(400);
    expect(summaryOf(mismatched.text)).toEqual([
      ['confirmPassword', 'Write the same new password twice.'],
    ]);
    expect(mismatched.text).toMatch(
      /id="confirmPassword"[^>]*aria-invalid="true" aria-describedby="confirmPassword-error"/,
    );
    expect(mismatched.text).toContain(`name="token" value="${token}"`);
    // Passwords are never written back into the page.
    expect(mismatched.text).not.toContain('new-password-2');
    expect(mismatched.text).not.toContain('must be');
    // Nothing was saved and the link still works.
    await loginAs(t, 'rae@example.com', 'old-password-1');

    const saved = await post('/password-reset/confirm', {
      token,
      password: 'new-password-2',
      confirmPassword: 'new-password-2',
    }).expect(303);
    expect(saved.headers.location).toBe('/login?saved=password');
    expect(String(saved.headers['set-cookie'])).toMatch(/mend_session=;/);
    const login = await t
      .http()
      .get(saved.headers.location as string)
      .expect(200);
    expect(login.text).toMatch(/<p class="notice" role="status">Your new password is saved/);
    // Every earlier sign-in has ended; only the new password opens the account.
    await t.http().get('/api/me').set('authorization', `Bearer ${session}`).expect(401);
    await loginAs(t, 'rae@example.com', 'new-password-2');
    await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'rae@example.com', password: 'old-password-1' })
      .expect(401);
  });

  it('says plainly that a used, expired or made-up link is spent, and offers to send a new one', async () => {
    await signup(t, 'ex@example.com', 'Ex', 'old-password-1');
    const used = await resetLinkFor('ex@example.com');
    const post = pagePoster(t, await pageForm(t, '/password-reset'));
    const good = { password: 'new-password-2', confirmPassword: 'new-password-2' };
    await post('/password-reset/confirm', { token: used, ...good }).expect(303);

    const again = await post('/password-reset/confirm', { token: used, ...good }).expect(400);
    expect(summaryOf(again.text)).toEqual([[null, SPENT]]);
    expect(again.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
    // The request form, to ask for a new link, and no trace of the spent one.
    expect(again.text).toContain('action="/password-reset"');
    expect(again.text).not.toContain('action="/password-reset/confirm"');
    expect(again.text).not.toContain(used);

    const expiring = await resetLinkFor('ex@example.com');
    await t.dataSource.query(
      `UPDATE password_reset_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`,
    );
    const expired = await post('/password-reset/confirm', { token: expiring, ...good }).expect(400);
    expect(summaryOf(expired.text)).toEqual([[null, SPENT]]);

    // Following a spent link says so at once, before she types a new password twice.
    for (const token of [used, expiring, 'made-up']) {
      const opened = await t
        .http()
        .get(`/password-reset?token=${encodeURIComponent(token)}`)
        .expect(400);
      expect(summaryOf(opened.text)).toEqual([[null, SPENT]]);
      expect(opened.text).toContain('action="/password-reset"');
      expect(opened.text).not.toContain('action="/password-reset/confirm"');
    }

    for (const token of ['made-up', '', 'x'.repeat(500)]) {
      const forged = await post('/password-reset/confirm', { token, ...good }).expect(400);
      expect(summaryOf(forged.text)).toEqual([[null, SPENT]]);
    }
    await loginAs(t, 'ex@example.com', 'new-password-2');
  });

  it('sends a signed-in member’s link from the account page the same way', async () => {
    const session = await signup(t, 'member@example.com', 'Member', 'old-password-1');
    const post = pagePoster(t, await pageForm(t, '/account', session));
    const sent = await post('/password-reset', { email: 'member@example.com' }).expect(200);
    expect(sent.text).toContain('Check your email');
    await mail.waitFor((x) => x.to.includes('member@example.com') && /Reset/.test(x.subject));
  });

  it('keeps the per-client limit: past it, the form says when to try again, with Retry-After and the email kept', async () => {
    const post = pagePoster(t, await pageForm(t, '/password-reset'));
    let limited: Awaited<ReturnType<ReturnType<typeof post>['expect']>> | null = null;
    // Bounded: the limit is RESET_LIMIT a minute, even if a new minute starts midway.
    for (let i = 0; i < 2 * RESET_LIMIT + 1 && !limited; i++) {
      const res = await post('/password-reset', { email: 'flood@example.com' });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(summaryOf(limited!.text)).toHaveLength(1);
    expect(limited!.text).toMatch(/class="error-summary" role="alert"[^>]*autofocus/);
    expect(limited!.text).toMatch(/id="email"[^>]*value="flood@example.com"/);
  });
});
