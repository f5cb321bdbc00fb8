import { Injectable } from '@nestjs/common';
import { User } from '../../accounts/user.entity';
import { RatingResultDto, RatingSummaryDto } from '../dto/post.dto';
import { PostsService } from '../posts/posts.service';
import { RatingsRepository } from './ratings.repository';

@Injectable()
export class RatingsService {
  constructor(
    private readonly ratings: RatingsRepository,
    private readonly posts: PostsService,
  ) {}

  /** One rating per person per post (the primary key holds it); rating again changes it. */
  async rate(slug: string, stars: number, user: User): Promise<RatingResultDto> {
    const post = await this.posts.publishedId(slug, user);
    await this.ratings.upsert(post.id, user.id, stars);
    return { rating: await this.summary(post.id), yours: stars };
  }

  async summary(postId: string): Promise<RatingSummaryDto> {
    return this.ratings.summaryOfPost(postId);
  }

  async mine(postId: string, userId: string): Promise<number | null> {
    return this.ratings.starsOf(postId, userId);
  }
}
