import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../../accounts/user.entity';
import { RatingResultDto, RatingSummaryDto } from '../dto/post.dto';
import { PostsService } from '../posts/posts.service';

@Injectable()
export class RatingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly posts: PostsService,
  ) {}

  /** One rating per person per post (the primary key holds it); rating again changes it. */
  async rate(slug: string, stars: number, user: User): Promise<RatingResultDto> {
    const post = await this.posts.publishedId(slug, user);
    await this.dataSource.query(
      `INSERT INTO post_ratings (post_id, user_id, stars) VALUES ($1, $2, $3)
       ON CONFLICT (post_id, user_id) DO UPDATE SET stars = EXCLUDED.stars, updated_at = now()`,
      [post.id, user.id, stars],
    );
    return { rating: await this.summary(post.id), yours: stars };
  }

  async summary(postId: string): Promise<RatingSummaryDto> {
    const [row] = (await this.dataSource.query(
      `SELECT round(avg(stars)::numeric, 1)::float8 AS average, count(*)::int AS count FROM post_ratings WHERE post_id = $1`,
      [postId],
    )) as { average: number | null; count: number }[];
    return { average: row.count ? row.average : null, count: row.count };
  }

  async mine(postId: string, userId: string): Promise<number | null> {
    const rows = (await this.dataSource.query(
      `SELECT stars FROM post_ratings WHERE post_id = $1 AND user_id = $2`,
      [postId, userId],
    )) as { stars: number }[];
    return rows[0]?.stars ?? null;
  }
}
