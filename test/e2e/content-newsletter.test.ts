import { LinkSigner } from '../../src/common/crypto/link-signer';
import { Clock } from '../../src/common/clock';
import { NewsletterService } from '../../src/content/newsletter/newsletter.service';
import { unsubscribeToken } from '../../src/content/newsletter/unsubscribe-token';
import { pageForm, signup, startWithCoach, TestApp } from '../support/app';
import { postForm } from '../support/forms';
import { CaughtMail, linkIn, MailCatcher } from '../support/mail-catcher';

/** Polls `check` until it holds (the job queue runs in the background); fails after a deadline. */
async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

jest.setTimeout(60_000);

describe('Content: newsletter and feeds', () => {
  let t: TestApp;
  let coach: string;
  const mail = new MailCatcher();
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const mailUrl = await mail.start();
    ({ t, coach } = await startWithCoach({
      env: { MAIL_URL: mailUrl, RATE_LIMIT_PER_MINUTE: '1000', PUBLIC_URL: 'https://mend.example' },
    }));
    await t.dataSource.query(`DELETE FROM posts`);
  });
  afterAll(async () => {
    await t?.close();
    await mail.stop();
  });

  /** Creates a post as the coach (POST /api/posts), expecting `status`: the answer's body. */
  const newPost = async (fields: object, status = 201) =>
    (await t.http().post('/api/posts').set(auth(coach)).send(fields).expect(status)).body;
  /** Publishes a post as the coach (with `{ notifySubscribers: true }` to mail subscribers). */
  const publish = (id: string, body: object = {}) =>
    t.http().post(`/api/posts/${id}/publish`).set(auth(coach)).send(body).expect(200);
  /** A one-click unsubscribe as a mail client sends it: a POST with no cookie and no CSRF token. */
  const oneClick = (path: string) =>
    t.http().post(path).type('form').send('List-Unsubscribe=One-Click');

  async function subscribe(email: string): Promise<void> {
    const res = await t.http().post('/api/newsletter/subscribe').send({ email }).expect(202);
    expect(res.body).toEqual({ status: 'check_email' });
  }

  async function confirmFromMail(email: string): Promise<void> {
    const m = await mail.waitFor((x) => x.to.includes(email) && /confirm/i.test(x.subject));
    const link = new URL(linkIn(m, '/newsletter/confirm?token='));
    // Following the link only shows a button (mail scanners prefetch links).
    const page = await t
      .http()
      .get(link.pathname + link.search)
      .expect(200);
    expect(page.text).toContain('Yes, subscribe me');
    const [row] = await t.dataSource.query(
      `SELECT status FROM newsletter_subscribers WHERE email = $1`,
      [email],
    );
    expect(row.status).toBe('pending');
    await t.app.get(NewsletterService).confirm(link.searchParams.get('token')!);
  }

  const newsletterMails = (subject: string): CaughtMail[] =>
    mail.mails.filter((m) => m.subject === subject);

  /** Every newsletter mail in the outbox has gone through SMTP (the catcher holds it before the row says sent). */
  async function allNewsletterMailSent(): Promise<boolean> {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE kind = 'newsletter_post' AND status <> 'sent'`,
    );
    return n === 0;
  }

  it('answers every subscribe the same way and reveals nothing', async () => {
    await subscribe('ann@example.com');
    await confirmFromMail('ann@example.com');
    await subscribe('ann@example.com'); // already confirmed: same answer, no mail
    await subscribe('ANN@example.com');
    const bad = await t
      .http()
      .post('/api/newsletter/subscribe')
      .send({ email: 'not-an-email' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await t
      .http()
      .post('/api/newsletter/subscribe')
      .send({ email: 'a@b.co', extra: 1 })
      .expect(400);
    const [row] = await t.dataSource.query(
      `SELECT status, confirm_token_hash FROM newsletter_subscribers WHERE email = 'ann@example.com'`,
    );
    expect(row).toEqual({ status: 'confirmed', confirm_token_hash: null });
    expect(mail.to('ann@example.com').filter((m) => /confirm/i.test(m.subject))).toHaveLength(1);
  });

  it('sends at most one confirmation link per 15 minutes, so nobody can flood an inbox', async () => {
    for (let i = 0; i < 5; i++) await subscribe('flood@example.com');
    const count = async () =>
      (
        await t.dataSource.query(
          `SELECT count(*)::int AS n FROM mail_outbox WHERE to_address = 'flood@example.com'`,
        )
      )[0].n;
    expect(await count()).toBe(1);
    const clock = t.app.get(Clock);
    clock.advance(16 * 60_000);
    try {
      await subscribe('flood@example.com');
      expect(await count()).toBe(2);
    } finally {
      clock.reset();
    }
  });

  it('stores only a hash of the confirmation token; a used or expired link fails', async () => {
    await subscribe('hash@example.com');
    const m = await mail.waitFor((x) => x.to.includes('hash@example.com'));
    const token = new URL(linkIn(m, '/newsletter/confirm?token=')).searchParams.get('token')!;
    const rows = await t.dataSource.query(
      `SELECT confirm_token_hash FROM newsletter_subscribers WHERE email = 'hash@example.com'`,
    );
    expect(rows[0].confirm_token_hash).not.toBe(token);
    expect(rows[0].confirm_token_hash).toMatch(/^[0-9a-f]{64}$/);
    // The page form confirms (with CSRF).
    const form = await pageForm(t, `/newsletter/confirm?token=${token}`);
    expect(form.csrf).not.toBe('');
    await t.http().post('/newsletter/confirm').type('form').send({ token }).expect(403);
    const done = await postForm(t, '/newsletter/confirm', form, { token }).expect(200);
    expect(done.text).toContain('You’re subscribed');
    const again = await postForm(t, '/newsletter/confirm', form, { token }).expect(400);
    expect(again.text).toContain('expired');

    await subscribe('late@example.com');
    const late = await mail.waitFor((x) => x.to.includes('late@example.com'));
    const lateToken = new URL(linkIn(late, '/newsletter/confirm?token=')).searchParams.get(
      'token',
    )!;
    await t.dataSource.query(
      `UPDATE newsletter_subscribers SET confirm_expires_at = now() - interval '1 second' WHERE email = 'late@example.com'`,
    );
    await expect(t.app.get(NewsletterService).confirm(lateToken)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it('publishing with notifySubscribers mails each confirmed subscriber exactly once, never the unconfirmed or unsubscribed', async () => {
    await subscribe('bo@example.com');
    await confirmFromMail('bo@example.com');
    await subscribe('pending@example.com'); // never confirms
    await subscribe('gone@example.com');
    await confirmFromMail('gone@example.com');
    const [gone] = await t.dataSource.query(
      `SELECT id FROM newsletter_subscribers WHERE email = 'gone@example.com'`,
    );
    await oneClick(
      `/newsletter/unsubscribe?token=${unsubscribeToken(t.app.get(LinkSigner).key, gone.id)}`,
    ).expect(200);
    // The batch size is lowered so this post goes out in several batch jobs.
    t.app.get(NewsletterService).batchSize = 1;

    const post = await newPost({
      title: 'First Letter',
      body: 'Hello, readers.',
      excerpt: 'A first note.',
    });
    const published = await publish(post.id, { notifySubscribers: true });
    expect(published.body.notifiedAt).toEqual(expect.any(String));
    await eventually(
      async () => newsletterMails('First Letter').length >= 3,
      'three newsletter mails',
    );
    // Publishing (and notifying) again, and a stray extra batch job, send nothing more.
    await publish(post.id, { notifySubscribers: true });
    expect(await t.app.get(NewsletterService).runBatch(post.id)).toBe(0);
    await eventually(allNewsletterMailSent, 'the outbox to drain');

    const recipients = newsletterMails('First Letter')
      .flatMap((m) => m.to)
      .sort();
    expect(recipients).toEqual(['ann@example.com', 'bo@example.com', 'hash@example.com']);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM newsletter_deliveries WHERE post_id = $1`,
      [post.id],
    );
    expect(n).toBe(3);

    const letter = newsletterMails('First Letter').find((m) => m.to.includes('bo@example.com'))!;
    const listUnsubscribe = rawHeader(letter, 'List-Unsubscribe');
    expect(listUnsubscribe).toMatch(
      /^<https:\/\/mend\.example\/newsletter\/unsubscribe\?token=[^>]+>$/,
    );
    expect(rawHeader(letter, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    for (const m of newsletterMails('First Letter'))
      expect(rawHeader(m, 'List-Unsubscribe')).toMatch(/^<https:/);
    expect(letter.text).toContain('https://mend.example/blog/first-letter');
    expect(letter.raw).toMatch(/Content-Type: text\/html/i);

    // One-click unsubscribe as a mail client does it: a POST with no cookie and no CSRF token.
    const url = new URL(listUnsubscribe.slice(1, -1));
    await oneClick(url.pathname + url.search).expect(200);
    await oneClick(url.pathname + url.search).expect(200); // repeatable
    const [bo] = await t.dataSource.query(
      `SELECT status FROM newsletter_subscribers WHERE email = 'bo@example.com'`,
    );
    expect(bo.status).toBe('unsubscribed');
    // A forged token does nothing.
    await oneClick(
      `/newsletter/unsubscribe?token=${gone.id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    ).expect(400);
    const unsubscribePage = await t
      .http()
      .get(url.pathname + url.search)
      .expect(200);
    expect(unsubscribePage.text).toContain('Unsubscribe');

    // The next post reaches only who is still subscribed; a draft published without notify mails nobody.
    const second = await newPost({ title: 'Second Letter', body: 'Again.' });
    await publish(second.id, { notifySubscribers: true });
    const quiet = await newPost({ title: 'Quiet Post', body: 'Shh.' });
    await publish(quiet.id);
    await eventually(
      async () => newsletterMails('Second Letter').length >= 2,
      'two second-letter mails',
    );
    await eventually(allNewsletterMailSent, 'the outbox to drain');
    expect(
      newsletterMails('Second Letter')
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual(['ann@example.com', 'hash@example.com']);
    expect(newsletterMails('Quiet Post')).toHaveLength(0);
  });

  it('resumes after a crash without duplicates, and concurrent batches never double-send', async () => {
    const service = t.app.get(NewsletterService);
    for (const e of ['c1@example.com', 'c2@example.com', 'c3@example.com', 'c4@example.com']) {
      await t.dataSource.query(
        `INSERT INTO newsletter_subscribers (email, status, confirmed_at) VALUES ($1, 'confirmed', now() - interval '1 minute')`,
        [e],
      );
    }
    const post = await newPost({ title: 'Resumed Letter', body: 'x' });
    // Publish without the queue running the job: record the request the way publish does.
    await t.dataSource.query(
      `UPDATE posts SET status = 'published', published_at = now(), notify_requested_at = now() WHERE id = $1`,
      [post.id],
    );
    // A "crash": a batch whose transaction fails half-way leaves nothing behind.
    service.batchSize = 2;
    const [{ n: before }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE subject = 'Resumed Letter'`,
    );
    expect(before).toBe(0);
    await t.dataSource.query(
      `ALTER TABLE newsletter_deliveries ADD CONSTRAINT crash_test CHECK (created_at < '2000-01-01') NOT VALID`,
    );
    await expect(service.runBatch(post.id)).rejects.toThrow();
    await t.dataSource.query(`ALTER TABLE newsletter_deliveries DROP CONSTRAINT crash_test`);
    const [{ n: afterCrash }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE subject = 'Resumed Letter'`,
    );
    expect(afterCrash).toBe(0);
    // Retried (and raced by a duplicate job), every confirmed subscriber gets it once.
    service.batchSize = 3;
    const counts = await Promise.all([
      service.runBatch(post.id),
      service.runBatch(post.id),
      service.runBatch(post.id),
    ]);
    let more = 1;
    while (more > 0) more = await service.runBatch(post.id);
    const [{ confirmed }] = await t.dataSource.query(
      `SELECT count(*)::int AS confirmed FROM newsletter_subscribers WHERE status = 'confirmed'`,
    );
    const rows = await t.dataSource.query(
      `SELECT to_address FROM mail_outbox WHERE subject = 'Resumed Letter'`,
    );
    expect(rows).toHaveLength(confirmed);
    expect(new Set(rows.map((r: { to_address: string }) => r.to_address)).size).toBe(confirmed);
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(confirmed);
  });

  it('lists subscribers for the coach, with a formula-safe CSV export', async () => {
    await t.dataSource.query(
      `INSERT INTO newsletter_subscribers (email, status) VALUES ('=HYPERLINK("http://evil")@x.co', 'pending')`,
    );
    const reader = await signup(t, 'nosy@example.com');
    await t.http().get('/api/newsletter/subscribers').set(auth(reader)).expect(403);
    const list = await t.http().get('/api/newsletter/subscribers').set(auth(coach)).expect(200);
    expect(list.body.find((s: { email: string }) => s.email === 'ann@example.com')).toMatchObject({
      status: 'confirmed',
      confirmedAt: expect.any(String),
    });
    expect(list.body[0]).not.toHaveProperty('confirmTokenHash');
    const csv = await t.http().get('/api/newsletter/subscribers.csv').set(auth(coach)).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      '"email","status","subscribed_at","confirmed_at","unsubscribed_at"',
    );
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")@x.co","pending"`);
    expect(csv.text).toContain('"bo@example.com","unsubscribed"');
    const viaQuery = await t
      .http()
      .get('/api/newsletter/subscribers?format=csv')
      .set(auth(coach))
      .expect(200);
    expect(viaQuery.text).toBe(csv.text);
  });

  it('serves RSS 2.0 that is well-formed and escaped, and a sitemap', async () => {
    const post = await newPost(
      {
        title: 'Tom & <Jerry> “quotes”',
        slug: 'tom-and-jerry',
        body: 'Body with <script>alert(1)</script> & more',
        tags: ['r&r'],
      },
      400,
    );
    expect(post.details.tags).toBeDefined();
    const ok = await newPost({
      title: 'Tom & <Jerry> “quotes”',
      slug: 'tom-and-jerry',
      body: 'Body with <script>alert(1)</script> & more\u0001',
      tags: ['repair'],
    });
    await publish(ok.id);
    await newPost({ title: 'Hidden Draft', body: 'secret' });

    const rss = await t.http().get('/feed.xml').expect(200);
    expect(rss.headers['content-type']).toMatch(/^application\/rss\+xml/);
    const xml = rss.text;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')).toBe(true);
    expect(xml).toContain('<title>Tom &amp; &lt;Jerry&gt; “quotes”</title>');
    expect(xml).toContain('<link>https://mend.example/blog/tom-and-jerry</link>');
    expect(xml).not.toContain('Hidden Draft');
    expect(xml).not.toMatch(/<script/);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    assertWellFormed(xml);
    const channel = /<channel>([\s\S]*)<\/channel>/.exec(xml)![1];
    expect(channel).toMatch(/^\s*<title>Steady Ground Coaching — writing<\/title>/);
    expect(channel).toContain('<link>https://mend.example/blog</link>');
    expect((channel.match(/<item>/g) ?? []).length).toBeGreaterThanOrEqual(3);

    const sitemap = await t.http().get('/sitemap.xml').expect(200);
    expect(sitemap.headers['content-type']).toMatch(/^application\/xml/);
    for (const path of [
      '/',
      '/blog',
      '/book',
      '/program',
      '/blog/tom-and-jerry',
      '/blog/first-letter',
    ]) {
      expect(sitemap.text).toContain(`<loc>https://mend.example${path}</loc>`);
    }
    expect(sitemap.text).not.toContain('hidden-draft');
    assertWellFormed(sitemap.text);
  });
});

/** A header exactly as it went over SMTP (unfolded). */
function rawHeader(mail: CaughtMail, name: string): string {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/**
 * A small XML well-formedness check: every tag closes in order, attribute values are quoted, and
 * every `&` starts a known entity or a character reference.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tagRe.exec(body); m; m = tagRe.exec(body)) {
    const between = body.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/);
    last = tagRe.lastIndex;
    const [, close, name, , selfClose] = m;
    if (selfClose) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  for (const amp of body.matchAll(/&([^;\s]*);?/g)) {
    expect(amp[0]).toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/);
  }
}
