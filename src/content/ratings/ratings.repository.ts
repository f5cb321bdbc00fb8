import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PostRating } from './post-rating.entity';

/** A person's own rating, for their data export. */
export interface OwnRatingRow {
  post: string;
  stars: number;
  updated_at: Date;
}

/** The post_ratings table: one rating per person per post (its primary key). */
@Injectable()
export class RatingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the person's rating of a post, replacing the one they gave before. */
  async upsert(postId: string, userId: string, stars: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, $3)
       ON CONFLICT (post_id, user_id) DO UPDATE SET stars = EXCLUDED.stars, updated_at = now()`,
      [postId, userId, stars],
    );
  }

  /** The average (one decimal, null when unrated) and the number of ratings of a post. */
  async summaryOfPost(postId: string): Promise<{ average: number | null; count: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT round(avg(stars)::numeric, 1)::float8 AS average, count(*)::int AS count FROM post_ratings WHERE post_id = $1`,
      [postId],
    )) as { average: number | null; count: number }[];
    return { average: row.count ? row.average : null, count: row.count };
  }

  async starsOf(postId: string, userId: string): Promise<number | null> {
    const row = await this.dataSource.manager.findOne(PostRating, {
      where: { postId, userId },
      select: { stars: true },
    });
    return row?.stars ?? null;
  }

  /** A person's ratings with their posts' titles, oldest change first. */
  async ofUser(m: EntityManager, userId: string): Promise<OwnRatingRow[]> {
    return (await m.query(
      `SELECT p.title AS post, r.stars, r.updated_at FROM post_ratings r JOIN posts p ON p.id = r.post_id WHERE r.user_id = $1 ORDER BY r.updated_at`,
      [userId],
    )) as OwnRatingRow[];
  }

  async deleteOfUser(m: EntityManager, userId: string): Promise<void> {
    await m.delete(PostRating, { userId });
  }
}
