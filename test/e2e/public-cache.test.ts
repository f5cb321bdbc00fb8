import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';

/**
 * Anonymous public pages come from memory (src/public-cache): nothing of one person's session
 * ever reaches another, a change made anywhere shows on every instance, ETag / 304 work.
 */
describe('Public pages from memory', () => {
  let a: TestApp;
  let b: TestApp;
  let coach: string;
  let reader: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const SLUG = 'repair-over-perfection';

  beforeAll(async () => {
    a = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    // A second instance on the same database that reads the version on every request, so that
    // what it shows after a change made through the first instance is deterministic.
    b = await startTestApp({
      databaseUrl: a.databaseUrl,
      seed: false,
      workers: false,
      env: { RATE_LIMIT_PER_MINUTE: '1000', PUBLIC_CACHE_CHECK_MS: '0' },
    });
    coach = await loginAs(a, COACH_EMAIL, COACH_PASSWORD);
    reader = await signup(a, 'cache-reader@example.com', 'Cache Reader');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('serves an anonymous page from memory with shared-cache headers, no cookie and no form token', async () => {
    const first = await a.http().get(`/blog/${SLUG}`).expect(200);
    const second = await a.http().get(`/blog/${SLUG}`).expect(200);
    expect(second.headers['x-mend-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    for (const res of [first, second]) {
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['cache-control']).toMatch(
        /^public, .*s-maxage=\d+.*stale-while-revalidate=\d+/,
      );
      expect(res.headers.vary).toMatch(/Cookie/);
      expect(res.headers.etag).toBe(first.headers.etag);
      expect(res.text).not.toMatch(/name="_csrf" value="[^"]+"/);
      // The security headers still come with a page from memory.
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
    for (const path of ['/', '/blog', '/feed.xml', '/sitemap.xml', '/book', '/api/session-types']) {
      const one = await a.http().get(path).expect(200);
      const two = await a.http().get(path).expect(200);
      expect(two.headers['x-mend-cache']).toBe('hit');
      expect(two.headers['content-type']).toBe(one.headers['content-type']);
      expect(two.text).toBe(one.text);
    }
  });

  it('never shares a signed-in page: the next anonymous visitor sees no trace of the session', async () => {
    // Signed in first, on a page nobody has loaded yet…
    const mine = await a
      .http()
      .get('/blog?tag=rest')
      .set('cookie', `mend_session=${reader}`)
      .expect(200);
    expect(mine.text).toContain('Sign out');
    expect(mine.text).toMatch(/name="_csrf" value="[^"]+"/);
    expect(mine.headers['cache-control']).toBe('no-store');
    expect(mine.headers['x-mend-cache']).toBeUndefined();
    const csrfOfReader = /name="_csrf" value="([^"]+)"/.exec(mine.text)![1];
    // …then anonymous visitors, twice (the second from memory).
    for (let i = 0; i < 2; i++) {
      const anon = await a.http().get('/blog?tag=rest').expect(200);
      expect(anon.text).not.toContain('Sign out');
      expect(anon.text).not.toContain('href="/account"');
      expect(anon.text).not.toContain(csrfOfReader);
      expect(anon.text).toContain('href="/login"');
      expect(anon.headers['set-cookie']).toBeUndefined();
    }
    // And a page already in memory is not handed to a signed-in visitor either.
    await a.http().get(`/blog/${SLUG}`).expect(200);
    const signedIn = await a
      .http()
      .get(`/blog/${SLUG}`)
      .set('cookie', `mend_session=${reader}`)
      .expect(200);
    expect(signedIn.headers['x-mend-cache']).toBeUndefined();
    expect(signedIn.text).toContain('Sign out');
    // Even an unknown or expired session cookie gets its own render (and then signs nobody in).
    const stale = await a
      .http()
      .get(`/blog/${SLUG}`)
      .set('cookie', 'mend_session=not-a-session')
      .expect(200);
    expect(stale.headers['x-mend-cache']).toBeUndefined();
  });

  it('never serves the coach’s session-type list (hidden ones included) to the public, nor the reverse', async () => {
    await a
      .http()
      .post('/api/session-types')
      .set(auth(coach))
      .send({
        name: 'Hidden pilot',
        slug: 'hidden-pilot',
        description: '',
        durationMinutes: 30,
        price: 0,
        currency: 'usd',
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        minimumNoticeMinutes: 0,
        bookingWindowDays: 30,
        slotIntervalMinutes: 30,
        location: 'Video',
        active: false,
      })
      .expect(201);
    const publicList = await a.http().get('/api/session-types').expect(200);
    const coachList = await a.http().get('/api/session-types').set(auth(coach)).expect(200);
    const again = await a.http().get('/api/session-types').expect(200);
    expect(coachList.body.map((s: { slug: string }) => s.slug)).toContain('hidden-pilot');
    expect(publicList.body.map((s: { slug: string }) => s.slug)).not.toContain('hidden-pilot');
    expect(again.headers['x-mend-cache']).toBe('hit');
    expect(again.body.map((s: { slug: string }) => s.slug)).not.toContain('hidden-pilot');
    expect(coachList.headers['x-mend-cache']).toBeUndefined();
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once the page changes', async () => {
    const page = await a.http().get(`/blog/${SLUG}`).expect(200);
    const etag = page.headers.etag as string;
    const notModified = await a.http().get(`/blog/${SLUG}`).set('if-none-match', etag).expect(304);
    expect(notModified.text ?? '').toBe('');
    expect(notModified.headers.etag).toBe(etag);
    await a.http().get(`/blog/${SLUG}`).set('if-none-match', '"something-else"').expect(200);

    const [{ id }] = await a.dataSource.query(`SELECT id FROM posts WHERE slug = $1`, [SLUG]);
    await a
      .http()
      .patch(`/api/posts/${id}`)
      .set(auth(coach))
      .send({ title: 'Repair, Not Perfection' })
      .expect(200);
    // The same instance shows its own write at once…
    const changed = await a.http().get(`/blog/${SLUG}`).set('if-none-match', etag).expect(200);
    expect(changed.text).toContain('Repair, Not Perfection');
    expect(changed.headers.etag).not.toBe(etag);
    // …and so does the other instance.
    const onB = await b.http().get(`/blog/${SLUG}`).expect(200);
    expect(onB.text).toContain('Repair, Not Perfection');
  });

  it('shows a change made through one instance on the other: edit, unpublish, comment, rating, session type', async () => {
    const [{ id }] = await a.dataSource.query(
      `SELECT id FROM posts WHERE slug = 'rest-is-not-a-reward'`,
    );
    const warm = async () => {
      await b.http().get('/blog').expect(200);
      return b.http().get('/blog').expect(200);
    };
    expect((await warm()).headers['x-mend-cache']).toBe('hit');

    await a
      .http()
      .patch(`/api/posts/${id}`)
      .set(auth(coach))
      .send({ title: 'Rest Comes First' })
      .expect(200);
    expect((await b.http().get('/blog').expect(200)).text).toContain('Rest Comes First');

    // An approved comment (here straight in the database, as a job or an erasure would) shows too.
    const comment = await b
      .http()
      .post(`/api/posts/rest-is-not-a-reward/comments`)
      .send({ name: 'Ola', body: 'Needed this.' })
      .expect(202);
    expect(comment.body.status).toBe('pending');
    expect((await warm()).text).not.toContain('1 comment');
    await a.dataSource.query(
      `UPDATE comments SET status = 'approved', moderated_at = now() WHERE author_name = 'Ola'`,
    );
    const post = await b.http().get('/blog/rest-is-not-a-reward').expect(200);
    expect(post.text).toContain('Needed this.');

    await a
      .http()
      .put('/api/posts/rest-is-not-a-reward/rating')
      .set(auth(reader))
      .send({ stars: 4 })
      .expect(200);
    expect((await b.http().get('/blog/rest-is-not-a-reward').expect(200)).text).toContain(
      'of 5 stars from 1 reader',
    );

    await a.http().post(`/api/posts/${id}/unpublish`).set(auth(coach)).expect(200);
    expect((await b.http().get('/blog').expect(200)).text).not.toContain('Rest Comes First');
    await b.http().get('/blog/rest-is-not-a-reward').expect(404);

    const before = await b.http().get('/book').expect(200);
    expect(before.text).not.toContain('Hidden pilot');
    const [{ id: typeId }] = await a.dataSource.query(
      `SELECT id FROM session_types WHERE slug = 'hidden-pilot'`,
    );
    await a
      .http()
      .patch(`/api/session-types/${typeId}`)
      .set(auth(coach))
      .send({ active: true })
      .expect(200);
    expect((await b.http().get('/book').expect(200)).text).toContain('Hidden pilot');
  });

  it('shows a change to the site’s settings on every instance, and its About page', async () => {
    // b renders (and keeps its own short-lived copy of the site) before the change…
    await b.http().get('/').expect(200);
    await b.http().get('/about').expect(200);
    expect((await b.http().get('/about').expect(200)).headers['x-mend-cache']).toBe('hit');
    const site = (await a.http().get('/api/site').expect(200)).body as Record<string, unknown>;
    const { photoUrl: _photoUrl, ...writable } = site;
    await a
      .http()
      .put('/api/site')
      .set(auth(coach))
      .send({
        ...writable,
        photoImageId: null,
        name: 'Quiet Harbour Coaching',
        aboutMarkdown: 'About the **harbour**.',
      })
      .expect(200);
    // …and shows the new one at once, on both instances. (b first: both apps live in this one
    // process, where the layout's site provider — a module global — is b's SiteService.)
    for (const t of [b, a]) {
      expect((await t.http().get('/').expect(200)).text).toContain('Quiet Harbour Coaching');
      expect((await t.http().get('/about').expect(200)).text).toContain('<strong>harbour</strong>');
    }
  });

  it('keeps pages rendered when nothing changed: a pending comment leaves the cache alone', async () => {
    await b.http().get('/').expect(200);
    expect((await b.http().get('/').expect(200)).headers['x-mend-cache']).toBe('hit');
    await b
      .http()
      .post(`/api/posts/${SLUG}/comments`)
      .send({ name: 'Pat', body: 'Pending for now.' })
      .expect(202);
    expect((await b.http().get('/').expect(200)).headers['x-mend-cache']).toBe('hit');
  });
});
