import sharp from 'sharp';
import { PostsService } from '../../src/content/posts/posts.service';
import {
  COACH_EMAIL,
  COACH_PASSWORD,
  loginAs,
  pageForm,
  startTestApp,
  TestApp,
} from '../support/app';

/** Covers need alt text, scheduled posts go out once, and the post page carries its metadata. */
describe('Post covers, scheduling and the post page', () => {
  let t: TestApp;
  let coach: string;
  const auth = () => ({ authorization: `Bearer ${coach}` });

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    coach = await loginAs(t, COACH_EMAIL, COACH_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function upload(): Promise<{ id: string; url: string }> {
    const file = await sharp({
      create: { width: 1600, height: 900, channels: 3, background: '#e8dccb' },
    })
      .png()
      .toBuffer();
    return (
      await t.http().post('/api/images').set(auth()).attach('file', file, 'cover.png').expect(201)
    ).body;
  }

  it('refuses to publish (or schedule) a post whose cover has no description, and the image stays in use', async () => {
    const image = await upload();
    const post = (
      await t
        .http()
        .post('/api/posts')
        .set(auth())
        .send({ title: 'Covered', body: 'Hello', coverImageId: image.id })
        .expect(201)
    ).body;
    expect(post).toMatchObject({
      coverImageId: image.id,
      coverAlt: null,
      coverUrl: image.url,
      publishAt: null,
    });
    const refused = await t
      .http()
      .post(`/api/posts/${post.id}/publish`)
      .set(auth())
      .send({})
      .expect(400);
    expect(refused.body.details).toHaveProperty('coverAlt');
    await t
      .http()
      .post(`/api/posts/${post.id}/publish`)
      .set(auth())
      .send({ publishAt: new Date(Date.now() + 3600_000).toISOString() })
      .expect(400);
    await t
      .http()
      .patch(`/api/posts/${post.id}`)
      .set(auth())
      .send({ coverAlt: 'A line drawing of two hands' })
      .expect(200);
    await t.http().post(`/api/posts/${post.id}/publish`).set(auth()).send({}).expect(200);
    // The database holds the rule too: no published post with a cover and no description.
    await expect(
      t.dataSource.query(`UPDATE posts SET cover_alt = ' ' WHERE id = $1`, [post.id]),
    ).rejects.toThrow(/CHK_posts_cover_alt/);
    expect(
      (await t.http().delete(`/api/images/${image.id}`).set(auth()).expect(409)).body.code,
    ).toBe('IMAGE_IN_USE');
    await t
      .http()
      .patch(`/api/posts/${post.id}`)
      .set(auth())
      .send({ coverImageId: 'nope' })
      .expect(400);
  });

  it('an image shown inside a post body is in use too', async () => {
    const image = await upload();
    await t
      .http()
      .post('/api/posts')
      .set(auth())
      .send({ title: 'Inline', body: `Look:\n\n![A calm sea](${image.url})` })
      .expect(201);
    const res = await t.http().delete(`/api/images/${image.id}`).set(auth()).expect(409);
    expect(res.body.message).toMatch(/Inline/);
  });

  it('publishes a scheduled post once, when due, however many sweeps run at the same time', async () => {
    const post = (
      await t
        .http()
        .post('/api/posts')
        .set(auth())
        .send({ title: 'Later On', body: 'Soon.' })
        .expect(201)
    ).body;
    const at = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = (
      await t
        .http()
        .post(`/api/posts/${post.id}/publish`)
        .set(auth())
        .send({ publishAt: at, notifySubscribers: true })
        .expect(200)
    ).body;
    expect(scheduled).toMatchObject({ status: 'draft', publishAt: at });
    await t.http().get('/blog/later-on').expect(404);

    const posts = t.app.get(PostsService);
    expect(await posts.publishDue()).toBe(0); // not yet
    await t.dataSource.query(
      `UPDATE posts SET publish_at = now() - interval '1 second' WHERE id = $1`,
      [post.id],
    );
    const counts = await Promise.all([posts.publishDue(), posts.publishDue(), posts.publishDue()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    const [row] = await t.dataSource.query(
      `SELECT status, publish_at, notify_requested_at FROM posts WHERE id = $1`,
      [post.id],
    );
    expect(row.status).toBe('published');
    expect(row.publish_at).toBeNull();
    expect(row.notify_requested_at).not.toBeNull();
    await t.http().get('/blog/later-on').expect(200);
  });

  it('the post page: responsive cover with alt, author note, reading time, neighbours, canonical, OG and JSON-LD', async () => {
    const image = await upload();
    const title = 'A Quiet </script><script>alert(1)</script> Morning';
    const post = (
      await t
        .http()
        .post('/api/posts')
        .set(auth())
        .send({
          title,
          slug: 'quiet-morning',
          body: 'Breathe.',
          tags: ['rest'],
          coverImageId: image.id,
          coverAlt: 'Steam over a cup',
        })
        .expect(201)
    ).body;
    await t.http().post(`/api/posts/${post.id}/publish`).set(auth()).send({}).expect(200);
    const page = (await t.http().get('/blog/quiet-morning').expect(200)).text;
    expect(page).toMatch(
      /<source type="image\/webp" srcset="[^"]*480\.webp 480w, [^"]*960\.webp 960w, [^"]*1600\.webp 1600w" sizes="/,
    );
    expect(page).toMatch(
      /<img class="cover" src="[^"]+" srcset="[^"]*\.png 480w[^"]*" sizes="[^"]+" width="1600" height="900" alt="Steam over a cup" fetchpriority="high">/,
    );
    expect(page).toContain('min read');
    expect(page).toContain('About Ruth Calder');
    expect(page).toContain('href="/program"');
    expect(page).toContain('href="/book"');
    expect(page).toContain(
      `<link rel="canonical" href="${t.config.publicUrl}/blog/quiet-morning">`,
    );
    expect(page).toContain('<meta property="og:type" content="article">');
    expect(page).toMatch(/<meta property="og:image" content="http[^"]+\/images\/[^"]+\.png">/);
    expect(page).toContain('<meta property="og:image:alt" content="Steam over a cup">');
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page).toContain('<a rel="prev" href="/blog/');
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)![1];
    expect(ld).not.toContain('<');
    expect(JSON.parse(ld)).toMatchObject({
      '@type': 'BlogPosting',
      headline: title,
      author: { name: 'Ruth Calder' },
      publisher: { name: 'Steady Ground Coaching' },
    });
    expect(page.match(/<script(?![^>]*\bsrc=)/g)!.length).toBe(1); // the JSON-LD block is the only inline script: the title's script stayed text

    const tagPage = (await t.http().get('/blog/tag/rest').expect(200)).text;
    expect(tagPage).toContain('href="/blog/quiet-morning"');
    expect(tagPage).toContain('alt="Steam over a cup"');
    expect((await t.http().get('/').expect(200)).text).toContain(
      'alt="Steam over a cup" loading="lazy"',
    );
  });

  it('the editor without JavaScript: a picture previewed inline, a cover uploaded, the draft saved; autosave keeps drafts only', async () => {
    const picture = await sharp({
      create: { width: 700, height: 400, channels: 3, background: '#9fb8ad' },
    })
      .jpeg()
      .toBuffer();
    const { cookie, csrf } = await pageForm(t, '/coach/posts/new', coach);
    const preview = await t
      .http()
      .post('/coach/posts/preview')
      .set('cookie', cookie)
      .field('_csrf', csrf)
      .field('title', 'Inline Pictures')
      .field('body', 'Before.')
      .field('inlineAlt', 'A [green] field')
      .attach('inlineImage', picture, 'field.jpg')
      .expect(200);
    const md = /!\[A \\\[green\\\] field\]\((\/images\/[0-9a-f-]+\/700\.jpg)\)/.exec(preview.text);
    expect(md).not.toBeNull();
    expect(preview.text).toContain(`<img src="${md![1]}" alt="A [green] field" />`); // in the server-rendered preview

    const saved = await t
      .http()
      .post('/coach/posts')
      .set('cookie', cookie)
      .field('_csrf', csrf)
      .field('title', 'Inline Pictures')
      .field('body', `Before.\n\n![A field](${md![1]})`)
      .field('coverAlt', 'Hills at dawn')
      .attach('cover', picture, 'cover.jpg')
      .expect(303);
    const id = /\/coach\/posts\/([0-9a-f-]+)\?saved=1/.exec(saved.headers.location)![1];
    const post = (await t.http().get(`/api/posts/${id}`).set(auth()).expect(200)).body;
    expect(post).toMatchObject({ status: 'draft', coverAlt: 'Hills at dawn' });
    expect(post.coverImageId).toMatch(/^[0-9a-f-]{36}$/);

    // Autosave: the page's CSRF token is required; a draft's text is saved; a published post's is not.
    await t
      .http()
      .post(`/coach/posts/${id}/autosave`)
      .set('cookie', cookie)
      .type('form')
      .send({ title: 'X', body: 'Y' })
      .expect(403);
    const auto = await t
      .http()
      .post(`/coach/posts/${id}/autosave`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, title: 'Inline Pictures', body: 'Typed, not saved yet.' })
      .expect(200);
    expect(auto.body).toMatchObject({ saved: true });
    expect((await t.http().get(`/api/posts/${id}`).set(auth()).expect(200)).body.body).toBe(
      'Typed, not saved yet.',
    );
    await t.http().post(`/api/posts/${id}/publish`).set(auth()).send({}).expect(200);
    const refused = await t
      .http()
      .post(`/coach/posts/${id}/autosave`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, title: 'Inline Pictures', body: 'Half a sente' })
      .expect(200);
    expect(refused.body).toMatchObject({ saved: false, reason: 'published' });
    expect((await t.http().get(`/api/posts/${id}`).set(auth()).expect(200)).body.body).toBe(
      'Typed, not saved yet.',
    );
  });

  it('the editor schedules in the coach’s own zone and shows it', async () => {
    const post = (
      await t.http().post('/api/posts').set(auth()).send({ title: 'Zoned', body: 'x' }).expect(201)
    ).body;
    const { cookie, csrf } = await pageForm(t, `/coach/posts/${post.id}`, coach);
    await t
      .http()
      .post(`/coach/posts/${post.id}/publish`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, publishAt: 'someday' })
      .expect(400);
    await t
      .http()
      .post(`/coach/posts/${post.id}/publish`)
      .set('cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, publishAt: '2099-07-04T09:30' })
      .expect(303);
    const after = (await t.http().get(`/api/posts/${post.id}`).set(auth()).expect(200)).body;
    expect(after).toMatchObject({ status: 'draft', publishAt: '2099-07-04T13:30:00.000Z' }); // the demo coach is in New York (EDT)
    const page = (await t.http().get(`/coach/posts/${post.id}`).set('cookie', cookie).expect(200))
      .text;
    expect(page).toContain(
      'It will be published on <strong>2099-07-04 at 09:30</strong> (America/New_York).',
    );
  });
});
