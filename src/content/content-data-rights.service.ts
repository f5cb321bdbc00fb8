import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { normalizeEmail } from '../common/tokens';
import { CommentsRepository } from './comments/comments.repository';
import { SubscribersRepository } from './newsletter/subscribers.repository';
import { RatingsRepository } from './ratings/ratings.repository';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly comments: CommentsRepository,
    private readonly ratings: RatingsRepository,
    private readonly subscribers: SubscribersRepository,
  ) {}

  async exportFor(
    user: { id: string; email: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ContentExport> {
    const comments = await this.comments.ofUser(manager, user.id);
    const ratings = await this.ratings.ofUser(manager, user.id);
    const sub = await this.subscribers.byEmail(manager, normalizeEmail(user.email));
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
            subscribedAt: sub.createdAt.toISOString(),
            confirmedAt: iso(sub.confirmedAt),
            unsubscribedAt: iso(sub.unsubscribedAt),
          }
        : null,
    };
  }

  /** Erases the person's comments, ratings and subscription, inside the caller's transaction. */
  async eraseFor(manager: EntityManager, user: { id: string; email: string }): Promise<void> {
    await this.comments.deleteOfUser(manager, user.id);
    await this.ratings.deleteOfUser(manager, user.id);
    await this.subscribers.deleteByEmail(manager, normalizeEmail(user.email));
  }
}
