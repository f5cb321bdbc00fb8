import { QueryFailedError } from 'typeorm';
import { ContentDataRightsService } from '../../src/content/content-data-rights.service';
import { RENDERER_VERSION } from '../../src/common/markdown';
import { PostsService } from '../../src/content/posts/posts.service';
import { startTestApp, TestApp } from '../support/app';

/** The content invariants the database itself holds, whatever the code above it does. */
describe('Content: database invariants', () => {
  let t: TestApp;
  let postId: string;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp({ workers: false, seed: false });
    [{ id: userId }] = await t.dataSource.query(
      `INSERT INTO users (email, name) VALUES ('inv@example.com', 'Inv') RETURNING id`,
    );
    [{ id: postId }] = await t.dataSource.query(
      `INSERT INTO posts (title, slug, body) VALUES ('T', 't', 'Hello **there**') RETURNING id`,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  async function violation(sql: string, params: unknown[]): Promise<string | undefined> {
    try {
      await t.dataSource.query(sql, params);
    } catch (e) {
      if (e instanceof QueryFailedError) return (e.driverError as { code?: string }).code;
      throw e;
    }
    return undefined;
  }

  it('refuses stars outside 1..5 and a second rating by the same person', async () => {
    expect(
      await violation(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 6)`, [
        postId,
        userId,
      ]),
    ).toBe('23514');
    expect(
      await violation(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 0)`, [
        postId,
        userId,
      ]),
    ).toBe('23514');
    await t.dataSource.query(
      `INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 3)`,
      [postId, userId],
    );
    expect(
      await violation(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 4)`, [
        postId,
        userId,
      ]),
    ).toBe('23505');
  });

  it('refuses comments over 5 000 characters, empty ones and unknown statuses', async () => {
    expect(
      await violation(`INSERT INTO comments (post_id, author_name, body) VALUES ($1, 'A', $2)`, [
        postId,
        'x'.repeat(5001),
      ]),
    ).toBe('23514');
    expect(
      await violation(`INSERT INTO comments (post_id, author_name, body) VALUES ($1, 'A', '')`, [
        postId,
      ]),
    ).toBe('23514');
    expect(
      await violation(
        `INSERT INTO comments (post_id, author_name, body, status) VALUES ($1, 'A', 'b', 'spam')`,
        [postId],
      ),
    ).toBe('23514');
    await t.dataSource.query(
      `INSERT INTO comments (post_id, author_name, body) VALUES ($1, 'A', $2)`,
      [postId, 'x'.repeat(5000)],
    );
  });

  it('keeps slugs unique, a published post dated, and one delivery per post and subscriber', async () => {
    expect(await violation(`INSERT INTO posts (title, slug) VALUES ('T2', 't')`, [])).toBe('23505');
    expect(
      await violation(`UPDATE posts SET status = 'published', published_at = NULL WHERE id = $1`, [
        postId,
      ]),
    ).toBe('23514');
    const [{ id: subId }] = await t.dataSource.query(
      `INSERT INTO newsletter_subscribers (email, status) VALUES ('s@example.com', 'confirmed') RETURNING id`,
    );
    await t.dataSource.query(
      `INSERT INTO newsletter_deliveries (post_id, subscriber_id) VALUES ($1, $2)`,
      [postId, subId],
    );
    expect(
      await violation(
        `INSERT INTO newsletter_deliveries (post_id, subscriber_id) VALUES ($1, $2)`,
        [postId, subId],
      ),
    ).toBe('23505');
    expect(
      await violation(`INSERT INTO newsletter_subscribers (email) VALUES ('s@example.com')`, []),
    ).toBe('23505');
  });

  it('re-renders HTML cached by an older renderer on the next read, and stores it', async () => {
    await t.dataSource.query(
      `UPDATE posts SET body_html = '<p>stale</p>', rendered_with = 0 WHERE id = $1`,
      [postId],
    );
    const post = await t.app.get(PostsService).byId(postId);
    expect(post.html).toBe('<p>Hello <strong>there</strong></p>\n');
    const [row] = await t.dataSource.query(
      `SELECT body_html, rendered_with FROM posts WHERE id = $1`,
      [postId],
    );
    expect(row).toEqual({
      body_html: '<p>Hello <strong>there</strong></p>\n',
      rendered_with: RENDERER_VERSION,
    });
  });

  it('removes a post’s comments, ratings and deliveries with it', async () => {
    await t.dataSource.query(`DELETE FROM posts WHERE id = $1`, [postId]);
    for (const table of ['comments', 'post_ratings', 'newsletter_deliveries']) {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n).toBe(0);
    }
  });
});

describe('Content: data rights (export and erasure of one person)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ workers: false, seed: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('exports and then erases a person’s comments, ratings and subscription, leaving others alone', async () => {
    const [{ id: me }] = await t.dataSource.query(
      `INSERT INTO users (email, name) VALUES ('me@example.com', 'Me') RETURNING id`,
    );
    const [{ id: other }] = await t.dataSource.query(
      `INSERT INTO users (email, name) VALUES ('other@example.com', 'Other') RETURNING id`,
    );
    const [{ id: post }] = await t.dataSource.query(
      `INSERT INTO posts (title, slug) VALUES ('On Rest', 'on-rest') RETURNING id`,
    );
    await t.dataSource.query(
      `INSERT INTO comments (post_id, user_id, author_name, body, status) VALUES ($1, $2, 'Me', 'Mine', 'approved'), ($1, $3, 'Other', 'Theirs', 'approved')`,
      [post, me, other],
    );
    await t.dataSource.query(
      `INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 4), ($1, $3, 2)`,
      [post, me, other],
    );
    await t.dataSource.query(
      `INSERT INTO newsletter_subscribers (email, status, confirmed_at) VALUES ('me@example.com', 'confirmed', now()), ('other@example.com', 'confirmed', now())`,
    );
    const rights = t.app.get(ContentDataRightsService);

    const data = await rights.exportFor({ id: me, email: 'Me@Example.com' });
    expect(data.comments).toEqual([
      {
        post: 'On Rest',
        name: 'Me',
        body: 'Mine',
        status: 'approved',
        createdAt: expect.any(String),
      },
    ]);
    expect(data.ratings).toEqual([{ post: 'On Rest', stars: 4, updatedAt: expect.any(String) }]);
    expect(data.newsletter).toMatchObject({ email: 'me@example.com', status: 'confirmed' });

    await t.dataSource.transaction((m) => rights.eraseFor(m, { id: me, email: 'me@example.com' }));
    expect(await rights.exportFor({ id: me, email: 'me@example.com' })).toEqual({
      comments: [],
      ratings: [],
      newsletter: null,
    });
    const others = await rights.exportFor({ id: other, email: 'other@example.com' });
    expect([others.comments.length, others.ratings.length, others.newsletter?.status]).toEqual([
      1,
      1,
      'confirmed',
    ]);
  });
});
