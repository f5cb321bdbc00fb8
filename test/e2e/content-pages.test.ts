import {
  COACH_EMAIL,
  COACH_PASSWORD,
  pageForm,
  signup,
  startWithCoach,
  TestApp,
} from '../support/app';
import { getAs, postForm } from '../support/forms';

/** The HTML forms: CSRF on every POST, validation shown on the page, coach pages guarded. */
describe('Content pages', () => {
  let t: TestApp;
  let coach: string;
  let reader: string;

  beforeAll(async () => {
    ({ t, coach } = await startWithCoach({ env: { RATE_LIMIT_PER_MINUTE: '1000' } }));
    reader = await signup(t, 'pages@example.com', 'Page Reader');
  });
  afterAll(async () => {
    await t?.close();
  });

  const formContext = (path: string, session?: string) => pageForm(t, path, session);

  it('shows the seeded demo posts on the home page, the blog and the feed', async () => {
    const home = await t.http().get('/').expect(200);
    expect(home.text).toContain('href="/blog/repair-over-perfection"');
    const blog = await t.http().get('/blog').expect(200);
    expect(blog.text).toContain('Rest Is Not a Reward');
    expect((await t.http().get('/feed.xml').expect(200)).text).toContain(
      '<title>Repair Over Perfection</title>',
    );
  });

  it('refuses a comment form without a CSRF token from a session or another site, accepts it otherwise, and shows validation errors', async () => {
    const path = '/blog/repair-over-perfection/comments';
    /** The comment form posted with these request headers (in this order) and no page token. */
    const comment = (headers: Record<string, string>, body: object = { name: 'A', body: 'hi' }) =>
      Object.entries(headers)
        .reduce((req, [name, value]) => req.set(name, value), t.http().post(path))
        .type('form')
        .send(body);
    // With a session cookie the token is required (the shared page has none, so a signed-in visitor never gets it).
    const session = { cookie: `mend_session=${reader}` };
    await comment(session).expect(403);
    await comment(session, { _csrf: '', name: 'A', body: 'hi' }).expect(403);
    // Another site can't post even an anonymous comment.
    await comment({ origin: 'https://evil.example' }).expect(403);
    await comment({ origin: 'null', 'sec-fetch-site': 'cross-site' }).expect(403);
    await comment({ 'sec-fetch-site': 'cross-site' }).expect(403);
    // Sign-in keeps its token (login CSRF), shared page or not.
    await t
      .http()
      .post('/login')
      .type('form')
      .send({ email: COACH_EMAIL, password: COACH_PASSWORD })
      .expect(403);
    // The anonymous form of a shared page (no token, same site) goes through.
    await comment(
      { origin: 'http://127.0.0.1', host: '127.0.0.1', 'sec-fetch-site': 'same-origin' },
      { name: 'Anon', body: 'From a shared page.' },
    ).expect(303);
    expect(
      await t.dataSource.query(`SELECT status FROM comments WHERE author_name = 'Anon'`),
    ).toEqual([{ status: 'pending' }]);
    const form = await formContext('/blog/repair-over-perfection');
    const ok = await postForm(t, '/blog/repair-over-perfection/comments', form, {
      name: 'Kim',
      body: 'Line one\nLine two',
      website: '',
    }).expect(303);
    expect(ok.headers.location).toBe('/blog/repair-over-perfection?comment=pending#comments');
    const [row] = await t.dataSource.query(
      `SELECT author_name, body, status FROM comments WHERE author_name = 'Kim'`,
    );
    expect(row).toEqual({ author_name: 'Kim', body: 'Line one\nLine two', status: 'pending' });

    const tooLong = await postForm(t, '/blog/repair-over-perfection/comments', form, {
      name: 'Kim',
      body: 'x'.repeat(5001),
    }).expect(400);
    expect(tooLong.text).toContain('body must be at most 5000 characters');
    expect(tooLong.text).toContain('aria-invalid="true"');
    await postForm(t, '/blog/no-such-post/comments', form, { name: 'Kim', body: 'hi' }).expect(404);
  });

  it('asks signed-out readers to sign in before rating, and validates stars', async () => {
    const anon = await formContext('/blog/repair-over-perfection');
    const res = await postForm(t, '/blog/repair-over-perfection/rating', anon, {
      stars: '5',
    }).expect(303);
    expect(res.headers.location).toBe('/login?next=%2Fblog%2Frepair-over-perfection');
    const signedIn = await formContext('/blog/repair-over-perfection', reader);
    await postForm(t, '/blog/repair-over-perfection/rating', signedIn, { stars: '9' }).expect(400);
    await postForm(t, '/blog/repair-over-perfection/rating', signedIn, { stars: '5' }).expect(303);
    const api = await t.http().get('/api/posts/repair-over-perfection').expect(200);
    expect(api.body.rating).toEqual({ average: 5, count: 1 });
  });

  it('lets only the coach use the editor, moderation and subscriber pages', async () => {
    for (const path of [
      '/coach/posts',
      '/coach/posts/new',
      '/coach/comments',
      '/coach/subscribers',
      '/coach/subscribers.csv',
    ]) {
      await t.http().get(path).set('cookie', `mend_session=${reader}`).expect(403);
      const anon = await t.http().get(path).expect(303);
      expect(anon.headers.location).toMatch(/^\/login/);
    }
    const form = await formContext('/coach/posts/new', coach);
    const bad = await postForm(t, '/coach/posts', form, {
      title: '',
      body: 'x',
      slug: 'Not A Slug',
    }).expect(400);
    expect(bad.text).toContain('The address may hold only lower-case letters');
    const created = await postForm(t, '/coach/posts', form, {
      title: 'Made in the editor',
      body: '*Hi*',
      tags: 'one, Two',
    }).expect(303);
    const id = /\/coach\/posts\/([0-9a-f-]{36})/.exec(created.headers.location)![1];
    const dup = await postForm(t, `/coach/posts/${id}`, form, {
      title: 'Made in the editor',
      slug: 'repair-over-perfection',
      body: '*Hi*',
    }).expect(409);
    expect(dup.text).toContain('Another post already uses this slug');
    await postForm(t, `/coach/posts/${id}/publish`, form, { notifySubscribers: 'on' }).expect(303);
    const post = await t.http().get('/api/posts/made-in-the-editor').expect(200);
    expect(post.body).toMatchObject({
      status: 'published',
      tags: ['one', 'two'],
      html: '<p><em>Hi</em></p>\n',
      notifiedAt: expect.any(String),
    });
    const editor = await getAs(t, coach, `/coach/posts/${id}`);
    expect(editor.text).toContain('Subscribers were mailed');
    const csv = await getAs(t, coach, '/coach/subscribers.csv');
    expect(csv.text.startsWith('"email","status"')).toBe(true);
    const comments = await getAs(t, coach, '/coach/comments');
    expect(comments.text).toContain('Line one\nLine two');
    await postForm(t, `/coach/posts/${id}/delete`, form, {}).expect(303);
    await t.http().get('/blog/made-in-the-editor').expect(404);
  });

  it('shows newsletter pages: a bad unsubscribe link and a bad confirmation are explained, not crashed', async () => {
    const bad = await t.http().get('/newsletter/unsubscribe?token=nope').expect(400);
    expect(bad.text).toContain('not valid');
    const form = await formContext('/newsletter/confirm?token=abc');
    const res = await postForm(t, '/newsletter/confirm', form, { token: 'abc' }).expect(400);
    expect(res.text).toContain('expired');
    const sub = await postForm(t, '/newsletter/subscribe', form, { email: 'nope' }).expect(400);
    expect(sub.text).toContain('valid email');
  });
});
