import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/errors';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { hashToken, newToken, normalizeEmail } from '../../common/tokens';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { JobsService } from '../../jobs/jobs.service';
import { MailService } from '../../mail/mail.service';
import { SubscriberDto } from '../dto/newsletter.dto';
import { NewsletterPost, PostsRepository } from '../posts/posts.repository';
import { NEWSLETTER_QUEUE } from '../posts/posts.service';
import { toCsv } from './csv';
import { absolutizeLinks, newsletterHtml } from './newsletter-mail';
import { NewsletterSubscriber } from './subscriber.entity';
import { SubscribersRepository } from './subscribers.repository';
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
    private readonly subscribers: SubscribersRepository,
    private readonly posts: PostsRepository,
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
      const row = await this.subscribers.lockOrCreate(m, email);
      if (row.status === 'confirmed') return;
      // A link sent minutes ago is still on its way: don't let anyone flood an inbox with them.
      const recent =
        row.confirmSentAt && now.getTime() - row.confirmSentAt.getTime() < CONFIRM_RESEND_MS;
      if (row.status === 'pending' && row.confirmTokenHash && recent) return;
      const { token, hash } = newToken();
      await this.subscribers.markConfirmationSent(m, row.id, {
        tokenHash: hash,
        expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS),
        sentAt: now,
      });
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
    if (!(await this.subscribers.confirmByToken(hashToken(token), this.clock.now())))
      throw new DomainError(
        'INVALID_TOKEN',
        'This confirmation link has expired or was already used. You can subscribe again.',
      );
  }

  /** One-click unsubscribe from a mail's link; safe to repeat. */
  async unsubscribe(token: string): Promise<void> {
    const id = verifyUnsubscribeToken(this.links.key, token);
    if (!id) throw new DomainError('INVALID_TOKEN', 'This unsubscribe link is not valid.');
    await this.subscribers.markUnsubscribed(id, this.clock.now());
  }

  isValidUnsubscribeToken(token: string): boolean {
    return verifyUnsubscribeToken(this.links.key, token) !== null;
  }

  async list(): Promise<SubscriberDto[]> {
    const rows = await this.subscribers.newestFirst(10_000);
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
    return this.subscribers.confirmedSinceCount(since);
  }

  async counts(): Promise<Record<string, number>> {
    return this.subscribers.countsByStatus();
  }

  /**
   * Mails the next batch of confirmed subscribers (confirmed before the send was requested) who
   * have not had this post. Delivery rows and their outbox mails commit together, so a crash
   * loses nothing and repeats nothing; a full batch enqueues the next one in the same transaction.
   */
  async runBatch(postId: string): Promise<number> {
    const site = await this.site.current();
    return this.dataSource.transaction(async (m) => {
      const post = await this.posts.forNewsletter(m, postId);
      if (!post || post.status !== 'published' || !post.notifyRequestedAt) return 0;
      const { recorded, recipients } = await this.subscribers.recordNextDeliveries(
        m,
        postId,
        post.notifyRequestedAt,
        this.batchSize,
      );
      if (!recorded) return 0;
      for (const s of recipients) await this.enqueuePostMail(m, post, s, site);
      if (recorded === this.batchSize)
        await this.jobs.sendInTransaction(m, NEWSLETTER_QUEUE, { postId });
      this.logger.log({ postId, mailed: recipients.length }, 'newsletter batch enqueued');
      return recipients.length;
    });
  }

  private async enqueuePostMail(
    m: EntityManager,
    post: NewsletterPost,
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
        absolutizeLinks(post.bodyHtml, this.config.publicUrl),
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
