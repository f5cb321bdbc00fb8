import { CommentsService } from '../../src/content/comments/comments.service';
import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  signup,
  startTestApp,
  TestApp,
} from '../support/app';

/** Posts, drafts, comments, ratings and XSS through the real app (API and pages). */
describe('Content API: posts, comments, ratings', () => {
  let t: TestApp;
  let coach: string;
  let reader: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    // Start from an empty blog (the seed adds demo posts).
    await t.dataSource.query(`DELETE FROM posts`);
    coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
    reader = await signup(t, 'reader@example.com', 'Reader');
  });
  afterAll(async () => {
    await t?.close();
  });

  async function createPost(body: Record<string, unknown>): Promise<{ id: string; slug: string }> {
    const res = await t.http().post('/api/posts').set(auth(coach)).send(body).expect(201);
    return res.body;
  }

  async function publish(id: string, notifySubscribers = false): Promise<void> {
    await t
      .http()
      .post(`/api/posts/${id}/publish`)
      .set(auth(coach))
      .send({ notifySubscribers })
      .expect(200);
  }

  it('keeps drafts invisible to everyone but the coach, then publishes', async () => {
    const draft = await createPost({
      title: 'Repair Over Perfection',
      body: 'We **repair**.',
      tags: ['Repair', 'rest'],
    });
    expect(draft).toMatchObject({
      slug: 'repair-over-perfection',
      status: 'draft',
      publishedAt: null,
      tags: ['repair', 'rest'],
      excerpt: 'We repair.',
    });
    expect((draft as unknown as { html: string }).html).toContain('<strong>repair</strong>');

    await t.http().get('/api/posts/repair-over-perfection').expect(404);
    await t.http().get('/api/posts/repair-over-perfection').set(auth(reader)).expect(404);
    await t.http().get('/blog/repair-over-perfection').expect(404);
    await t.http().get('/api/posts/repair-over-perfection').set(auth(coach)).expect(200);
    expect((await t.http().get('/api/posts').expect(200)).body.posts).toEqual([]);
    const asReader = await t.http().get('/api/posts?status=all').set(auth(reader)).expect(403);
    expect(asReader.body.code).toBe('FORBIDDEN');
    expect(
      (await t.http().get('/api/posts?status=draft').set(auth(coach)).expect(200)).body.posts,
    ).toHaveLength(1);
    // Nobody comments on or rates a draft.
    await t
      .http()
      .post('/api/posts/repair-over-perfection/comments')
      .send({ name: 'A', body: 'hi' })
      .expect(404);
    await t
      .http()
      .put('/api/posts/repair-over-perfection/rating')
      .set(auth(reader))
      .send({ stars: 5 })
      .expect(404);

    await publish(draft.id);
    const pub = await t.http().get('/api/posts/repair-over-perfection').expect(200);
    expect(pub.body).toMatchObject({
      status: 'published',
      rating: { average: null, count: 0 },
      commentCount: 0,
      body: 'We **repair**.',
    });
    expect(new Date(pub.body.publishedAt).getTime()).toBeGreaterThan(0);
    const page = await t.http().get('/blog/repair-over-perfection').expect(200);
    expect(page.text).toContain('<strong>repair</strong>');

    await t.http().post(`/api/posts/${draft.id}/unpublish`).set(auth(coach)).expect(200);
    await t.http().get('/api/posts/repair-over-perfection').expect(404);
    await publish(draft.id);
    const again = await t.http().get('/api/posts/repair-over-perfection').expect(200);
    expect(again.body.publishedAt).toBe(pub.body.publishedAt);
  });

  it('answers 404 for unknown slugs and ids', async () => {
    expect((await t.http().get('/api/posts/no-such-post').expect(404)).body.code).toBe('NOT_FOUND');
    await t.http().get('/blog/no-such-post').expect(404);
    await t
      .http()
      .patch('/api/posts/00000000-0000-4000-8000-000000000000')
      .set(auth(coach))
      .send({ title: 'x' })
      .expect(404);
    await t.http().patch('/api/posts/not-a-uuid').set(auth(coach)).send({ title: 'x' }).expect(404);
    await t
      .http()
      .delete('/api/posts/00000000-0000-4000-8000-000000000000')
      .set(auth(coach))
      .expect(404);
    await t
      .http()
      .post('/api/posts/no-such-post/comments')
      .send({ name: 'A', body: 'hi' })
      .expect(404);
    await t.http().get('/api/posts/no-such-post/comments').expect(404);
  });

  it('guards coach routes: 401 without a token, 403 for a client', async () => {
    const body = { title: 'Nope', body: 'x' };
    await t.http().post('/api/posts').send(body).expect(401);
    expect(
      (await t.http().post('/api/posts').set(auth(reader)).send(body).expect(403)).body.code,
    ).toBe('FORBIDDEN');
    const post = await createPost({ title: 'Guarded', body: 'x' });
    await t
      .http()
      .patch(`/api/posts/${post.id}`)
      .set(auth(reader))
      .send({ title: 'Mine now' })
      .expect(403);
    await t.http().post(`/api/posts/${post.id}/publish`).set(auth(reader)).send({}).expect(403);
    await t.http().post(`/api/posts/${post.id}/unpublish`).set(auth(reader)).expect(403);
    await t.http().delete(`/api/posts/${post.id}`).set(auth(reader)).expect(403);
    await t.http().get('/api/comments').set(auth(reader)).expect(403);
    await t.http().get('/api/newsletter/subscribers').set(auth(reader)).expect(403);
    await t.http().get('/api/newsletter/subscribers.csv').expect(401);
    await t.http().get('/coach/posts').set('cookie', `mend_session=${reader}`).expect(403);
    await t.http().delete(`/api/posts/${post.id}`).set(auth(coach)).expect(204);
    await t.http().get(`/api/posts/guarded`).set(auth(coach)).expect(404);
  });

  it('makes unique slugs: generated ones get a suffix, a chosen duplicate is 409', async () => {
    const a = await createPost({ title: 'On Rest', body: 'a' });
    const b = await createPost({ title: 'On rest!', body: 'b' });
    expect(a.slug).toBe('on-rest');
    expect(b.slug).toBe('on-rest-2');
    const dup = await t
      .http()
      .post('/api/posts')
      .set(auth(coach))
      .send({ title: 'Other', slug: 'on-rest', body: 'c' })
      .expect(409);
    expect(dup.body.code).toBe('SLUG_TAKEN');
    const patch = await t
      .http()
      .patch(`/api/posts/${b.id}`)
      .set(auth(coach))
      .send({ slug: 'on-rest' })
      .expect(409);
    expect(patch.body.code).toBe('SLUG_TAKEN');
    const renamed = await t
      .http()
      .patch(`/api/posts/${b.id}`)
      .set(auth(coach))
      .send({ slug: 'resting-well', body: '# New' })
      .expect(200);
    expect(renamed.body).toMatchObject({
      slug: 'resting-well',
      html: expect.stringContaining('<h2>New</h2>'),
    });
  });

  it('validates post bodies', async () => {
    const res = await t
      .http()
      .post('/api/posts')
      .set(auth(coach))
      .send({
        title: '',
        body: 5,
        slug: 'Bad Slug',
        tags: 'x',
        extra: 1,
        coverImageId: 'javascript:alert(1)',
      })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.details).sort()).toEqual([
      'body',
      'coverImageId',
      'extra',
      'slug',
      'tags',
      'title',
    ]);
    await t
      .http()
      .post('/api/posts/00000000-0000-4000-8000-000000000000/publish')
      .set(auth(coach))
      .send({ notifySubscribers: 'yes' })
      .expect(400);
  });

  it('lists newest first, 10 a page, filters by tag, with ratings and comment counts computed in SQL', async () => {
    await t.dataSource.query(`DELETE FROM posts`);
    const ids: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const p = await createPost({
        title: `Post ${i}`,
        body: `Body ${i}`,
        tags: i % 3 === 0 ? ['grief'] : ['rest'],
      });
      await publish(p.id);
      ids.push(p.id);
      // Distinct publication dates, one day apart, post 12 the newest.
      await t.dataSource.query(
        `UPDATE posts SET published_at = now() - ($2 || ' days')::interval WHERE id = $1`,
        [p.id, String(12 - i)],
      );
    }
    await createPost({ title: 'Unpublished draft', body: 'x', tags: ['grief'] });

    const first = await t.http().get('/api/posts').expect(200);
    expect(first.body).toMatchObject({ page: 1, pageSize: 10, total: 12, totalPages: 2 });
    expect(first.body.posts.map((p: { title: string }) => p.title)).toEqual([
      'Post 12',
      'Post 11',
      'Post 10',
      'Post 9',
      'Post 8',
      'Post 7',
      'Post 6',
      'Post 5',
      'Post 4',
      'Post 3',
    ]);
    const second = await t.http().get('/api/posts?page=2').expect(200);
    expect(second.body.posts.map((p: { title: string }) => p.title)).toEqual(['Post 2', 'Post 1']);
    const grief = await t.http().get('/api/posts?tag=grief').expect(200);
    expect(grief.body.posts.map((p: { title: string }) => p.title)).toEqual([
      'Post 12',
      'Post 9',
      'Post 6',
      'Post 3',
    ]);
    await t.http().get('/api/posts?page=0').expect(400);
    await t.http().get('/api/posts?page=abc').expect(400);

    // Ratings: 4 and 5 → 4.5; changing 5 to 2 → 3.0; one row per person.
    const other = await signup(t, 'rater2@example.com', 'Rater');
    await t
      .http()
      .put('/api/posts/post-12/rating')
      .set(auth(reader))
      .send({ stars: 4 })
      .expect(200);
    const r2 = await t
      .http()
      .put('/api/posts/post-12/rating')
      .set(auth(other))
      .send({ stars: 5 })
      .expect(200);
    expect(r2.body).toEqual({ rating: { average: 4.5, count: 2 }, yours: 5 });
    await t.http().put('/api/posts/post-12/rating').set(auth(other)).send({ stars: 2 }).expect(200);
    const third = await signup(t, 'rater3@example.com', 'Third');
    const r3 = await t
      .http()
      .put('/api/posts/post-12/rating')
      .set(auth(third))
      .send({ stars: 4 })
      .expect(200);
    expect(r3.body.rating).toEqual({ average: 3.3, count: 3 });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM post_ratings`);
    expect(n).toBe(3);

    // Approved comments only are counted.
    await t
      .http()
      .post('/api/posts/post-12/comments')
      .send({ name: 'Pending Pat', body: 'waiting' })
      .expect(202);
    await t
      .http()
      .post('/api/posts/post-12/comments')
      .set(auth(coach))
      .send({ name: 'Coach', body: 'Thank you all.' })
      .expect(201);

    const list = await t.http().get('/api/posts').expect(200);
    expect(list.body.posts[0]).toMatchObject({
      title: 'Post 12',
      rating: { average: 3.3, count: 3 },
      commentCount: 1,
    });
    expect(list.body.posts[1]).toMatchObject({
      title: 'Post 11',
      rating: { average: null, count: 0 },
      commentCount: 0,
    });

    const blog = await t.http().get('/blog?tag=grief').expect(200);
    expect(blog.text).toContain('Post 9');
    expect(blog.text).not.toContain('Post 11');
    const blogPage2 = await t.http().get('/blog?page=2').expect(200);
    expect(blogPage2.text).toContain('Post 1<');
    const home = await t.http().get('/').expect(200);
    expect(home.text).toContain('href="/blog/post-12"');
    expect(home.text).toContain('href="/blog/post-10"');
    expect(home.text).not.toContain('href="/blog/post-9"');
  });

  it('validates stars: outside 1..5, fractions and strings are 400; signed-out is 401', async () => {
    for (const stars of [0, 6, -1, 3.5, '4', null]) {
      const res = await t
        .http()
        .put('/api/posts/post-11/rating')
        .set(auth(reader))
        .send({ stars })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    await t.http().put('/api/posts/post-11/rating').send({ stars: 3 }).expect(401);
    await t
      .http()
      .put('/api/posts/no-such/rating')
      .set(auth(reader))
      .send({ stars: 3 })
      .expect(404);
  });

  it('holds comments for moderation; the coach approves, rejects and deletes', async () => {
    const res = await t
      .http()
      .post('/api/posts/post-11/comments')
      .send({ name: 'Sam', body: 'This helped.\nThank you.' })
      .expect(202);
    expect(res.body).toEqual({ status: 'pending' });
    expect((await t.http().get('/api/posts/post-11/comments').expect(200)).body).toEqual([]);

    const pending = await t.http().get('/api/comments?status=pending').set(auth(coach)).expect(200);
    const sam = pending.body.find((c: { name: string }) => c.name === 'Sam');
    expect(sam).toMatchObject({
      status: 'pending',
      body: 'This helped.\nThank you.',
      postSlug: 'post-11',
      byCoach: false,
    });

    await t.http().post(`/api/comments/${sam.id}/approve`).set(auth(reader)).expect(403);
    const approved = await t
      .http()
      .post(`/api/comments/${sam.id}/approve`)
      .set(auth(coach))
      .expect(200);
    expect(approved.body.status).toBe('approved');
    const visible = await t.http().get('/api/posts/post-11/comments').expect(200);
    expect(visible.body).toEqual([
      {
        id: sam.id,
        name: 'Sam',
        body: 'This helped.\nThank you.',
        createdAt: expect.any(String),
        byCoach: false,
      },
    ]);
    expect((await t.http().get('/api/posts/post-11').expect(200)).body.commentCount).toBe(1);
    const page = await t.http().get('/blog/post-11').expect(200);
    expect(page.text).toContain('This helped.\nThank you.');

    await t.http().post(`/api/comments/${sam.id}/reject`).set(auth(coach)).expect(200);
    expect((await t.http().get('/api/posts/post-11/comments').expect(200)).body).toEqual([]);
    await t.http().delete(`/api/comments/${sam.id}`).set(auth(reader)).expect(403);
    await t.http().delete(`/api/comments/${sam.id}`).set(auth(coach)).expect(204);
    await t.http().delete(`/api/comments/${sam.id}`).set(auth(coach)).expect(404);
    await t.http().post(`/api/comments/not-an-id/approve`).set(auth(coach)).expect(404);
  });

  it('marks the coach’s own comment as hers (API and post page), never a signed-in reader’s', async () => {
    await t
      .http()
      .post('/api/posts/post-9/comments')
      .set(auth(reader))
      .send({ name: 'Coach', body: 'A reader signing as the coach.' })
      .expect(202);
    const mine = await t
      .http()
      .post('/api/posts/post-9/comments')
      .set(auth(coach))
      .send({ name: 'Ada', body: 'Thank you all for reading.' })
      .expect(201);
    expect(mine.body).toMatchObject({ status: 'approved', byCoach: true, postSlug: 'post-9' });
    const pending = await t.http().get('/api/comments?status=pending').set(auth(coach)).expect(200);
    const impostor = pending.body.find((c: { body: string }) => c.body.startsWith('A reader'));
    expect(impostor.byCoach).toBe(false);
    await t.http().post(`/api/comments/${impostor.id}/approve`).set(auth(coach)).expect(200);

    const listed = (await t.http().get('/api/posts/post-9/comments').expect(200)).body as {
      body: string;
      byCoach: boolean;
    }[];
    expect(listed.map((c) => [c.body, c.byCoach])).toEqual([
      ['A reader signing as the coach.', false],
      ['Thank you all for reading.', true],
    ]);
    const page = (await t.http().get('/blog/post-9').expect(200)).text;
    expect(page.match(/<span class="badge">Coach<\/span>/g)).toHaveLength(1);
    expect(page).toMatch(/<strong>Ada<\/strong>\s*<span class="badge">Coach<\/span>/);
  });

  it('limits comment size: 5 000 characters pass, 5 001 are 400; name ≤ 100', async () => {
    await t
      .http()
      .post('/api/posts/post-10/comments')
      .send({ name: 'Long', body: 'x'.repeat(5000) })
      .expect(202);
    const res = await t
      .http()
      .post('/api/posts/post-10/comments')
      .send({ name: 'Long', body: 'x'.repeat(5001) })
      .expect(400);
    expect(res.body.details.body).toBeDefined();
    await t
      .http()
      .post('/api/posts/post-10/comments')
      .send({ name: 'n'.repeat(101), body: 'hi' })
      .expect(400);
    await t.http().post('/api/posts/post-10/comments').send({ name: '', body: 'hi' }).expect(400);
    await t.http().post('/api/posts/post-10/comments').send({ name: 'A', body: '   ' }).expect(400);
    await t
      .http()
      .post('/api/posts/post-10/comments')
      .send({ name: 'A', body: 'hi', admin: true })
      .expect(400);
  });

  it('answers a filled honeypot like a real comment but stores nothing', async () => {
    const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM comments`);
    const res = await t
      .http()
      .post('/api/posts/post-10/comments')
      .send({ name: 'Bot', body: 'Buy now', website: 'http://spam.example' })
      .expect(202);
    expect(res.body).toEqual({ status: 'pending' });
    const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM comments`);
    expect(after).toBe(before);
  });

  it('renders XSS payloads inert in posts (API and page) and comments (page)', async () => {
    const payload = [
      '<script>alert("s")</script>',
      '<img src=x onerror="alert(1)">',
      '[click](javascript:alert(1))',
      '[enc](javascript&#58;alert(1))',
      '<a href="&#x6A;avascript:alert(1)">hex</a>',
      '![d](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
      '<svg onload=alert(1)></svg>',
      '<iframe src="https://evil.example"></iframe>',
      'Safe words stay.',
    ].join('\n\n');
    const post = await createPost({
      title: 'XSS <b>title</b>',
      slug: 'xss-test',
      body: payload,
      excerpt: '<script>x</script>',
    });
    await publish(post.id);
    const api = await t.http().get('/api/posts/xss-test').expect(200);
    const html: string = api.body.html;
    expect(html).toContain('Safe words stay.');
    expect(html).not.toMatch(/<script|<svg|<iframe|onerror|onload|javascript:|data:/i);

    const comment = '<script>alert("c")</script><img src=x onerror=alert(2)>';
    await t
      .http()
      .post('/api/posts/xss-test/comments')
      .set(auth(coach))
      .send({ name: '<b>Coach</b>', body: comment })
      .expect(201);
    const page = await t.http().get('/blog/xss-test').expect(200);
    const main = page.text.slice(page.text.indexOf('<main'), page.text.indexOf('</main>'));
    expect(main).not.toMatch(
      /<script|<svg|<iframe|<[a-z][^>]*\son\w+\s*=|href="javascript:|src="data:/i,
    );
    expect(main).toContain('&lt;script&gt;alert(&quot;c&quot;)&lt;/script&gt;');
    expect(main).toContain('XSS &lt;b&gt;title&lt;/b&gt;');
    expect(main).toContain('&lt;b&gt;Coach&lt;/b&gt;');
    // The comment stays plain text in the API (clients must escape it too).
    const comments = await t.http().get('/api/posts/xss-test/comments').expect(200);
    expect(comments.body[0].body).toBe(comment);
  });

  it('mails the coach one daily digest of pending comments, and none when nothing waits', async () => {
    const service = t.app.get(CommentsService);
    // The digest runs from a pg-boss cron schedule (once per tick across instances).
    const schedules = await t.dataSource.query(
      `SELECT cron, timezone FROM pgboss.schedule WHERE name = 'content-comment-digest'`,
    );
    expect(schedules).toEqual([{ cron: '0 7 * * *', timezone: 'UTC' }]);
    await t.dataSource.query(`UPDATE comments SET status = 'approved' WHERE status = 'pending'`);
    expect(await service.sendDigest()).toBe(false);
    await t
      .http()
      .post('/api/posts/post-9/comments')
      .send({ name: 'Dana', body: 'A question about rest.' })
      .expect(202);
    await t
      .http()
      .post('/api/posts/post-9/comments')
      .send({ name: 'Eli', body: 'Thank you.' })
      .expect(202);
    expect(await service.sendDigest()).toBe(true);
    const digests = await t.dataSource.query(
      `SELECT to_address, subject, text FROM mail_outbox WHERE kind = 'comment_digest'`,
    );
    expect(digests).toHaveLength(1);
    expect(digests[0].to_address).toBe(COACH_EMAIL);
    expect(digests[0].subject).toBe('2 comments waiting for you');
    expect(digests[0].text).toContain('Dana on “Post 9”');
    expect(digests[0].text).toContain('/coach/comments');
  });

  it('rate-limits comments per client IP', async () => {
    const limited = await startTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '2' },
      workers: false,
      seed: true,
    });
    try {
      await limited
        .http()
        .post('/api/posts/repair-over-perfection/comments')
        .send({ name: 'A', body: '1' })
        .expect(202);
      await limited
        .http()
        .post('/api/posts/repair-over-perfection/comments')
        .send({ name: 'A', body: '2', website: 'bot' })
        .expect(202);
      const res = await limited
        .http()
        .post('/api/posts/repair-over-perfection/comments')
        .send({ name: 'A', body: '3' })
        .expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
