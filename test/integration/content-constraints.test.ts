import { QueryFailedError } from 'typeorm';
import { RENDERER_VERSION } from '../../src/content/posts/markdown';
import { PostsService } from '../../src/content/posts/posts.service';
import { startTestApp, TestApp } from '../support/app';

/** The content invariants the database itself holds, whatever the code above it does. */
describe('Content: database invariants', () => {
  let t: TestApp;
  let postId: string;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp({ workers: false, seed: false });
    [{ id: userId }] = await t.dataSource.query(`INSERT INTO users (email, name) VALUES ('inv@example.com', 'Inv') RETURNING id`);
    [{ id: postId }] = await t.dataSource.query(`INSERT INTO posts (title, slug, body) VALUES ('T', 't', 'Hello **there**') RETURNING id`);
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
    expect(await violation(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 6)`, [postId, userId])).toBe('23514');
    expect(await violation(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 0)`, [postId, userId])).toBe('23514');
    await t.dataSource.query(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 3)`, [postId, userId]);
    expect(await violation(`INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, 4)`, [postId, userId])).toBe('23505');
  });

  it('refuses comments over 5 000 characters, empty ones and unknown statuses', async () => {
    expect(await violation(`INSERT INTO comments (post_id, author_name, body) VALUES ($1, 'A', $2)`, [postId, 'x'.repeat(5001)])).toBe('23514');
    expect(await violation(`INSERT INTO comments (post_id, author_name, body) VALUES ($1, 'A', '')`, [postId])).toBe('23514');
    expect(await violation(`INSERT INTO comments (post_id, author_name, body, status) VALUES ($1, 'A', 'b', 'spam')`, [postId])).toBe('23514');
    await t.dataSource.query(`INSERT INTO comments (post_id, author_name, body) VALUES ($1, 'A', $2)`, [postId, 'x'.repeat(5000)]);
  });

  it('keeps slugs unique, a published post dated, and one delivery per post and subscriber', async () => {
    expect(await violation(`INSERT INTO posts (title, slug) VALUES ('T2', 't')`, [])).toBe('23505');
    expect(await violation(`UPDATE posts SET status = 'published', published_at = NULL WHERE id = $1`, [postId])).toBe('23514');
    const [{ id: subId }] = await t.dataSource.query(`INSERT INTO newsletter_subscribers (email, status) VALUES ('s@example.com', 'confirmed') RETURNING id`);
    await t.dataSource.query(`INSERT INTO newsletter_deliveries (post_id, subscriber_id) VALUES ($1, $2)`, [postId, subId]);
    expect(await violation(`INSERT INTO newsletter_deliveries (post_id, subscriber_id) VALUES ($1, $2)`, [postId, subId])).toBe('23505');
    expect(await violation(`INSERT INTO newsletter_subscribers (email) VALUES ('s@example.com')`, [])).toBe('23505');
  });

  it('re-renders HTML cached by an older renderer on the next read, and stores it', async () => {
    await t.dataSource.query(`UPDATE posts SET body_html = '<p>stale</p>', rendered_with = 0 WHERE id = $1`, [postId]);
    const post = await t.app.get(PostsService).byId(postId);
    expect(post.html).toBe('<p>Hello <strong>there</strong></p>\n');
    const [row] = await t.dataSource.query(`SELECT body_html, rendered_with FROM posts WHERE id = $1`, [postId]);
    expect(row).toEqual({ body_html: '<p>Hello <strong>there</strong></p>\n', rendered_with: RENDERER_VERSION });
  });

  it('removes a post’s comments, ratings and deliveries with it', async () => {
    await t.dataSource.query(`DELETE FROM posts WHERE id = $1`, [postId]);
    for (const table of ['comments', 'post_ratings', 'newsletter_deliveries']) {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(n).toBe(0);
    }
  });
});
