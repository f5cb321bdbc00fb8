import { pageForm, startTestApp, TestApp } from '../support/app';

/**
 * The newsletter box on a post: whatever the answer, the reader stays on the post (issue 15):
 * a mistyped address comes back to the post with the box's own message, a good one with the
 * thank-you; only a form from elsewhere (or an attacker's `from`) gets the newsletter page.
 */
describe('Newsletter box: the reader stays on the post', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const subscribe = async (fields: Record<string, string>, status: number) => {
    const { cookie, csrf } = await pageForm(t, '/blog/repair-over-perfection');
    return t
      .http()
      .post('/newsletter/subscribe')
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, ...fields })
      .expect(status);
  };
  const subscribers = async (): Promise<number> =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM newsletter_subscribers`))[0].n;

  it('sends a mistyped address back to the post, where the box says so, and stores nothing', async () => {
    const before = await subscribers();
    const res = await subscribe(
      { email: 'not-an-address', from: '/blog/repair-over-perfection' },
      303,
    );
    expect(res.headers.location).toBe('/blog/repair-over-perfection#subscribe-invalid');
    const post = await t.http().get('/blog/repair-over-perfection').expect(200);
    expect(post.text).toMatch(
      /<p id="subscribe-invalid" class="alert when-targeted"[^>]*>That doesn’t look like an email address/,
    );
    expect(await subscribers()).toBe(before);
  });

  it('thanks a good address on the post itself', async () => {
    const res = await subscribe(
      { email: 'reader@example.com', from: '/blog/repair-over-perfection#x' },
      303,
    );
    expect(res.headers.location).toBe('/blog/repair-over-perfection#subscribed');
  });

  it('as an attacker: a `from` off the blog or off the site gets the plain page, never a redirect there', async () => {
    for (const from of [
      'https://evil.example/blog',
      '//evil.example/blog',
      '/account',
      '/\\evil.example',
    ]) {
      const res = await subscribe({ email: 'nope', from }, 400);
      expect(res.headers.location).toBeUndefined();
      expect(res.text).toContain('Please enter a valid email address.');
    }
  });
});
