import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { normalizeEmail } from '../common/tokens';

export interface ContentExport {
  comments: { post: string; name: string; body: string; status: string; createdAt: string }[];
  ratings: { post: string; stars: number; updatedAt: string }[];
  newsletter: {
    email: string;
    status: string;
    subscribedAt: string;
    confirmedAt: string | null;
    unsubscribedAt: string | null;
  } | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * What the content module holds about one person, for `GET /api/me/export` and `DELETE /api/me`
 * (the clients/data-rights module calls these): their signed-in comments, their ratings and their
 * newsletter subscription (matched by email).
 */
@Injectable()
export class ContentDataRightsService {
  constructor(private readonly dataSource: DataSource) {}

  async exportFor(
    user: { id: string; email: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ContentExport> {
    const comments = (await manager.query(
      `SELECT p.title AS post, c.author_name AS name, c.body, c.status, c.created_at
       FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.user_id = $1 ORDER BY c.created_at`,
      [user.id],
    )) as { post: string; name: string; body: string; status: string; created_at: Date }[];
    const ratings = (await manager.query(
      `SELECT p.title AS post, r.stars, r.updated_at FROM post_ratings r JOIN posts p ON p.id = r.post_id WHERE r.user_id = $1 ORDER BY r.updated_at`,
      [user.id],
    )) as { post: string; stars: number; updated_at: Date }[];
    const [sub] = (await manager.query(
      `SELECT email, status, created_at, confirmed_at, unsubscribed_at FROM newsletter_subscribers WHERE email = $1`,
      [normalizeEmail(user.email)],
    )) as {
      email: string;
      status: string;
      created_at: Date;
      confirmed_at: Date | null;
      unsubscribed_at: Date | null;
    }[];
    return {
      comments: comments.map((c) => ({
        post: c.post,
        name: c.name,
        body: c.body,
        status: c.status,
        createdAt: c.created_at.toISOString(),
      })),
      ratings: ratings.map((r) => ({
        post: r.post,
        stars: r.stars,
        updatedAt: r.updated_at.toISOString(),
      })),
      newsletter: sub
        ? {
            email: sub.email,
            status: sub.status,
            subscribedAt: sub.created_at.toISOString(),
            confirmedAt: iso(sub.confirmed_at),
            unsubscribedAt: iso(sub.unsubscribed_at),
          }
        : null,
    };
  }

  /** Erases the person's comments, ratings and subscription, inside the caller's transaction. */
  async eraseFor(manager: EntityManager, user: { id: string; email: string }): Promise<void> {
    await manager.query(`DELETE FROM comments WHERE user_id = $1`, [user.id]);
    await manager.query(`DELETE FROM post_ratings WHERE user_id = $1`, [user.id]);
    await manager.query(`DELETE FROM newsletter_subscribers WHERE email = $1`, [
      normalizeEmail(user.email),
    ]);
  }
}
