import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, MoreThanOrEqual } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { hashToken, newToken, normalizeEmail } from '../../common/tokens';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { JobsService } from '../../jobs/jobs.service';
import { MailService } from '../../mail/mail.service';
import { SubscriberDto } from '../dto/newsletter.dto';
import { NEWSLETTER_QUEUE } from '../posts/posts.service';
import { toCsv } from './csv';
import { absolutizeLinks, newsletterHtml } from './newsletter-mail';
import { NewsletterSubscriber } from './subscriber.entity';
import { LinkSigner } from '../../common/crypto/link-signer';
import { unsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token';
import { SiteService } from '../../site/site.service';

const CONFIRM_TTL_MS = 7 * 86_400_000;
const CONFIRM_RESEND_MS = 15 * 60_000;

function toDto(s: NewsletterSubscriber): SubscriberDto {
  return {
    id: s.id,
    email: s.email,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
    unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class NewsletterService implements OnModuleInit {
  private readonly logger = new Logger(NewsletterService.name);
  /**
   * Subscribers written to the outbox per batch job (tests lower it to prove batching). Writing is
   * fast; the pace of sending is the mail worker's (NEWSLETTER_MAX_PER_MINUTE).
   */
  batchSize = 500;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly jobs: JobsService,
    private readonly rateLimit: RateLimitService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: LinkSigner,
    private readonly site: SiteService,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ postId: string }>(
      NEWSLETTER_QUEUE,
      async (data) => {
        await this.runBatch(data.postId);
      },
      { retryLimit: 10, retryDelay: 30 },
    );
  }

  /**
   * Double opt-in. The caller always gets the same answer: whether the address is new, pending,
   * confirmed or unsubscribed is never revealed. New, pending and unsubscribed addresses get a
   * fresh confirmation link (at most one per 15 minutes); a confirmed one gets nothing.
   */
  async subscribe(rawEmail: string, ip: string): Promise<void> {
    await this.rateLimit.consume('subscribe', ip);
    const email = normalizeEmail(rawEmail);
    const now = this.clock.now();
    const site = await this.site.current();
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO newsletter_subscribers (email, status) VALUES ($1, 'pending') ON CONFLICT (email) DO NOTHING`,
        [email],
      );
      const [row] = (await m.query(
        `SELECT id, status, confirm_token_hash, confirm_sent_at FROM newsletter_subscribers WHERE email = $1 FOR UPDATE`,
        [email],
      )) as {
        id: string;
        status: string;
        confirm_token_hash: string | null;
        confirm_sent_at: Date | null;
      }[];
      if (row.status === 'confirmed') return;
      // A link sent minutes ago is still on its way: don't let anyone flood an inbox with them.
      const recent =
        row.confirm_sent_at && now.getTime() - row.confirm_sent_at.getTime() < CONFIRM_RESEND_MS;
      if (row.status === 'pending' && row.confirm_token_hash && recent) return;
      const { token, hash } = newToken();
      await m.query(
        `UPDATE newsletter_subscribers SET status = 'pending', confirm_token_hash = $2, confirm_expires_at = $3, confirm_sent_at = $4 WHERE id = $1`,
        [row.id, hash, new Date(now.getTime() + CONFIRM_TTL_MS), now],
      );
      const link = `${this.config.publicUrl}/newsletter/confirm?token=${token}`;
      await this.mail.enqueue(m, {
        kind: 'newsletter_confirm',
        to: email,
        subject: `Please confirm your ${site.name} subscription`,
        text: `Hello,\n\nSomeone (hopefully you) asked to receive ${site.name}'s writing by mail at this address.\n\nTo confirm, open this link (it works for 7 days):\n${link}\n\nIf this wasn't you, ignore this mail: nothing will be sent to you.\n\n— Mend`,
      });
    });
  }

  async confirm(token: string): Promise<void> {
    const updated = (await this.dataSource.query(
      `UPDATE newsletter_subscribers SET status = 'confirmed', confirmed_at = $2, unsubscribed_at = NULL,
         confirm_token_hash = NULL, confirm_expires_at = NULL
       WHERE confirm_token_hash = $1 AND status = 'pending' AND confirm_expires_at > $2
       RETURNING id`,
      [hashToken(token), this.clock.now()],
    )) as [{ id: string }[], number];
    if (!updated[0].length)
      throw new DomainError(
        'INVALID_TOKEN',
        'This confirmation link has expired or was already used. You can subscribe again.',
      );
  }

  /** One-click unsubscribe from a mail's link; safe to repeat. */
  async unsubscribe(token: string): Promise<void> {
    const id = verifyUnsubscribeToken(this.links.key, token);
    if (!id) throw new DomainError('INVALID_TOKEN', 'This unsubscribe link is not valid.');
    await this.dataSource.query(
      `UPDATE newsletter_subscribers SET status = 'unsubscribed', unsubscribed_at = $2, confirm_token_hash = NULL
       WHERE id = $1 AND status <> 'unsubscribed'`,
      [id, this.clock.now()],
    );
  }

  isValidUnsubscribeToken(token: string): boolean {
    return verifyUnsubscribeToken(this.links.key, token) !== null;
  }

  async list(): Promise<SubscriberDto[]> {
    const rows = await this.dataSource
      .getRepository(NewsletterSubscriber)
      .find({ order: { createdAt: 'DESC' }, take: 10_000 });
    return rows.map(toDto);
  }

  async csv(): Promise<string> {
    const rows = await this.list();
    return toCsv(
      ['email', 'status', 'subscribed_at', 'confirmed_at', 'unsubscribed_at'],
      rows.map((s) => [s.email, s.status, s.createdAt, s.confirmedAt, s.unsubscribedAt]),
    );
  }

  /** Confirmed subscribers who confirmed since `since` (the coach's dashboard). */
  async confirmedSince(since: Date): Promise<number> {
    return this.dataSource
      .getRepository(NewsletterSubscriber)
      .count({ where: { status: 'confirmed', confirmedAt: MoreThanOrEqual(since) } });
  }

  async counts(): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM newsletter_subscribers GROUP BY status`,
    )) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Mails the next batch of confirmed subscribers (confirmed before the send was requested) who
   * have not had this post. Delivery rows and their outbox mails commit together, so a crash
   * loses nothing and repeats nothing; a full batch enqueues the next one in the same transaction.
   */
  async runBatch(postId: string): Promise<number> {
    const site = await this.site.current();
    return this.dataSource.transaction(async (m) => {
      const [post] = (await m.query(
        `SELECT id, slug, title, excerpt, body_html, status, notify_requested_at FROM posts WHERE id = $1`,
        [postId],
      )) as {
        id: string;
        slug: string;
        title: string;
        excerpt: string;
        body_html: string;
        status: string;
        notify_requested_at: Date | null;
      }[];
      if (!post || post.status !== 'published' || !post.notify_requested_at) return 0;
      const inserted = (await m.query(
        `INSERT INTO newsletter_deliveries (post_id, subscriber_id)
         SELECT $1, s.id FROM newsletter_subscribers s
         WHERE s.status = 'confirmed' AND s.confirmed_at <= $2
           AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.post_id = $1 AND d.subscriber_id = s.id)
         ORDER BY s.id
         LIMIT $3
         ON CONFLICT (post_id, subscriber_id) DO NOTHING
         RETURNING subscriber_id`,
        [postId, post.notify_requested_at, this.batchSize],
      )) as { subscriber_id: string }[];
      if (!inserted.length) return 0;
      const subscribers = (await m.query(
        `SELECT id, email FROM newsletter_subscribers WHERE id = ANY($1::uuid[])`,
        [inserted.map((r) => r.subscriber_id)],
      )) as { id: string; email: string }[];
      for (const s of subscribers) await this.enqueuePostMail(m, post, s, site);
      if (inserted.length === this.batchSize)
        await this.jobs.sendInTransaction(m, NEWSLETTER_QUEUE, { postId });
      this.logger.log({ postId, mailed: subscribers.length }, 'newsletter batch enqueued');
      return subscribers.length;
    });
  }

  private async enqueuePostMail(
    m: EntityManager,
    post: { slug: string; title: string; excerpt: string; body_html: string },
    s: { id: string; email: string },
    site: { name: string; tagline: string },
  ): Promise<void> {
    const url = `${this.config.publicUrl}/blog/${post.slug}`;
    const unsubscribe = `${this.config.publicUrl}/newsletter/unsubscribe?token=${unsubscribeToken(this.links.key, s.id)}`;
    await this.mail.enqueue(m, {
      kind: 'newsletter_post',
      lane: 'bulk',
      to: s.email,
      subject: post.title,
      text: `${post.title}\n\n${post.excerpt}\n\nRead it here:\n${url}\n\n— Mend\n\nYou get this because you subscribed to ${site.name}'s writing. Unsubscribe with one click:\n${unsubscribe}\n`,
      // The post's HTML was sanitised when it was saved; the rest is escaped here.
      html: newsletterHtml(
        post.title,
        absolutizeLinks(post.body_html, this.config.publicUrl),
        url,
        unsubscribe,
        site,
      ),
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  }
}
