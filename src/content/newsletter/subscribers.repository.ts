import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, MoreThanOrEqual } from 'typeorm';
import { NewsletterSubscriber, SubscriberStatus } from './subscriber.entity';

/** What subscribing needs to know about an address, locked for the transaction. */
export interface SubscriptionState {
  id: string;
  status: SubscriberStatus;
  confirmTokenHash: string | null;
  confirmSentAt: Date | null;
}

/**
 * The newsletter's tables: subscribers, and the deliveries that record which subscriber has had
 * which post. Emails arrive here already normalised.
 */
@Injectable()
export class SubscribersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The subscription of this address, created as pending when there is none, locked for the rest
   * of the caller's transaction (so two requests for one address take turns).
   */
  async lockOrCreate(m: EntityManager, email: string): Promise<SubscriptionState> {
    await m.query(
      `INSERT INTO newsletter_subscribers (email, status) VALUES ($1, 'pending') ON CONFLICT (email) DO NOTHING`,
      [email],
    );
    const [row] = (await m.query(
      `SELECT id, status, confirm_token_hash, confirm_sent_at FROM newsletter_subscribers WHERE email = $1 FOR UPDATE`,
      [email],
    )) as {
      id: string;
      status: SubscriberStatus;
      confirm_token_hash: string | null;
      confirm_sent_at: Date | null;
    }[];
    return {
      id: row.id,
      status: row.status,
      confirmTokenHash: row.confirm_token_hash,
      confirmSentAt: row.confirm_sent_at,
    };
  }

  /** A new confirmation link went out: the subscription is pending on it until it expires. */
  async markConfirmationSent(
    m: EntityManager,
    id: string,
    link: { tokenHash: string; expiresAt: Date; sentAt: Date },
  ): Promise<void> {
    await m.query(
      `UPDATE newsletter_subscribers SET status = 'pending', confirm_token_hash = $2, confirm_expires_at = $3, confirm_sent_at = $4 WHERE id = $1`,
      [id, link.tokenHash, link.expiresAt, link.sentAt],
    );
  }

  /** Confirms the pending subscription of an unexpired link (spending it); false when none. */
  async confirmByToken(tokenHash: string, now: Date): Promise<boolean> {
    const updated = (await this.dataSource.query(
      `UPDATE newsletter_subscribers SET status = 'confirmed', confirmed_at = $2, unsubscribed_at = NULL,
         confirm_token_hash = NULL, confirm_expires_at = NULL
       WHERE confirm_token_hash = $1 AND status = 'pending' AND confirm_expires_at > $2
       RETURNING id`,
      [tokenHash, now],
    )) as [{ id: string }[], number];
    return updated[0].length > 0;
  }

  /** Unsubscribes (keeping the first date when already unsubscribed). */
  async markUnsubscribed(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE newsletter_subscribers SET status = 'unsubscribed', unsubscribed_at = $2, confirm_token_hash = NULL
       WHERE id = $1 AND status <> 'unsubscribed'`,
      [id, at],
    );
  }

  newestFirst(limit: number): Promise<NewsletterSubscriber[]> {
    return this.dataSource.manager.find(NewsletterSubscriber, {
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  confirmedSinceCount(since: Date): Promise<number> {
    return this.dataSource.manager.count(NewsletterSubscriber, {
      where: { status: 'confirmed', confirmedAt: MoreThanOrEqual(since) },
    });
  }

  async countsByStatus(): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM newsletter_subscribers GROUP BY status`,
    )) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Records the next deliveries of a post: up to `limit` subscribers who confirmed by
   * `confirmedBy` and have not had it (in id order). Returns how many were recorded and whom to
   * mail.
   */
  async recordNextDeliveries(
    m: EntityManager,
    postId: string,
    confirmedBy: Date,
    limit: number,
  ): Promise<{ recorded: number; recipients: { id: string; email: string }[] }> {
    const inserted = (await m.query(
      `INSERT INTO newsletter_deliveries (post_id, subscriber_id)
       SELECT $1, s.id FROM newsletter_subscribers s
       WHERE s.status = 'confirmed' AND s.confirmed_at <= $2
         AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.post_id = $1 AND d.subscriber_id = s.id)
       ORDER BY s.id
       LIMIT $3
       ON CONFLICT (post_id, subscriber_id) DO NOTHING
       RETURNING subscriber_id`,
      [postId, confirmedBy, limit],
    )) as { subscriber_id: string }[];
    if (!inserted.length) return { recorded: 0, recipients: [] };
    const recipients = (await m.query(
      `SELECT id, email FROM newsletter_subscribers WHERE id = ANY($1::uuid[])`,
      [inserted.map((r) => r.subscriber_id)],
    )) as { id: string; email: string }[];
    return { recorded: inserted.length, recipients };
  }

  /** The subscription of an address, if any (for the person's data export). */
  byEmail(m: EntityManager, email: string): Promise<NewsletterSubscriber | null> {
    return m.findOne(NewsletterSubscriber, { where: { email } });
  }

  async deleteByEmail(m: EntityManager, email: string): Promise<void> {
    await m.delete(NewsletterSubscriber, { email });
  }
}
