import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService } from '../../accounts/accounts.service';
import { isCoach } from '../../accounts/coach';
import { User } from '../../accounts/user.entity';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/errors';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { JobsService } from '../../jobs/jobs.service';
import { MailService } from '../../mail/mail.service';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { CommentDto, CreateCommentDto, PublicCommentDto } from '../dto/comment.dto';
import { PostsService } from '../posts/posts.service';
import { CommentStatus } from './comment.entity';
import { CommentRow, CommentsRepository } from './comments.repository';

export const DIGEST_QUEUE = 'content-comment-digest';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toPublic(r: CommentRow): PublicCommentDto {
  return {
    id: r.id,
    name: r.author_name,
    body: r.body,
    createdAt: r.created_at.toISOString(),
    byCoach: r.by_coach,
  };
}

function toDto(r: CommentRow): CommentDto {
  return {
    ...toPublic(r),
    status: r.status,
    postId: r.post_id,
    postSlug: r.post_slug,
    postTitle: r.post_title,
  };
}

export type CommentOutcome = { status: 'pending' } | { status: 'approved'; comment: CommentDto };

@Injectable()
export class CommentsService implements OnModuleInit {
  private readonly logger = new Logger(CommentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly comments: CommentsRepository,
    private readonly accounts: AccountsService,
    private readonly posts: PostsService,
    private readonly rateLimit: RateLimitService,
    private readonly mail: MailService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register(
      DIGEST_QUEUE,
      async () => {
        await this.sendDigest();
      },
      { retryLimit: 3, retryDelay: 60 },
    );
    // Every morning (UTC): one mail listing what waits for moderation, none when nothing does.
    this.jobs.schedule(DIGEST_QUEUE, '0 7 * * *');
  }

  /**
   * A reader's comment waits for moderation; the coach's own is approved at once. A filled honeypot
   * gets the same answer as a real comment, and nothing is stored.
   */
  async create(
    slug: string,
    dto: CreateCommentDto,
    viewer: User | null,
    ip: string,
  ): Promise<CommentOutcome> {
    await this.rateLimit.consume('comment', ip);
    const post = await this.posts.publishedId(slug, viewer);
    if (dto.website && dto.website.trim() !== '') {
      this.logger.log({ postId: post.id }, 'comment honeypot filled; dropped');
      return { status: 'pending' };
    }
    const coach = isCoach(viewer);
    const id = await this.comments.add({
      postId: post.id,
      userId: viewer?.id ?? null,
      authorName: dto.name,
      body: normalizeBody(dto.body),
      status: coach ? 'approved' : 'pending',
      moderatedAt: coach ? this.clock.now() : null,
    });
    if (!coach) return { status: 'pending' };
    return { status: 'approved', comment: await this.one(id) };
  }

  /** Approved comments of a published post, oldest first. */
  async approvedFor(slug: string, viewer: User | null): Promise<PublicCommentDto[]> {
    const post = await this.posts.publishedId(slug, viewer);
    return this.approvedForPost(post.id);
  }

  /** Approved comments of a post the caller has already loaded (the post page). */
  async approvedForPost(postId: string): Promise<PublicCommentDto[]> {
    const rows = await this.comments.approvedOfPost(postId, await this.accounts.coachId());
    return rows.map(toPublic);
  }

  async list(status: CommentStatus): Promise<CommentDto[]> {
    // Moderation works through the queue oldest first; decided ones read newest first.
    const order = status === 'pending' ? 'oldest' : 'newest';
    const rows = await this.comments.withStatus(status, order, await this.accounts.coachId());
    return rows.map(toDto);
  }

  async moderate(id: string, status: 'approved' | 'rejected'): Promise<CommentDto> {
    if (!UUID.test(id)) throw notFound('The comment');
    if (!(await this.comments.markModerated(id, status, this.clock.now())))
      throw notFound('The comment');
    return this.one(id);
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('The comment');
    if (!(await this.comments.delete(id))) throw notFound('The comment');
  }

  async pendingCount(): Promise<number> {
    return this.comments.pendingCount();
  }

  /** The daily digest: one mail to the coach listing pending comments; nothing when none wait. */
  async sendDigest(): Promise<boolean> {
    const pending = await this.list('pending');
    if (!pending.length) return false;
    const coach = await this.accounts.coach();
    if (!coach) return false;
    const lines = pending.slice(0, 50).map((c) => {
      const snippet = c.body.replace(/\s+/g, ' ').slice(0, 160);
      return `• ${c.name} on “${c.postTitle}”:\n  ${snippet}${c.body.length > 160 ? '…' : ''}`;
    });
    const more = pending.length > 50 ? `\n…and ${pending.length - 50} more.\n` : '';
    await this.dataSource.transaction((m) =>
      this.mail.enqueue(m, {
        kind: 'comment_digest',
        to: coach.email,
        subject: `${pending.length} comment${pending.length === 1 ? '' : 's'} waiting for you`,
        text: `Good morning,\n\n${pending.length === 1 ? 'One comment is' : `${pending.length} comments are`} waiting for moderation:\n\n${lines.join('\n\n')}\n${more}\nApprove or reject them here:\n${this.config.publicUrl}/coach/comments\n\n— Mend`,
      }),
    );
    return true;
  }

  private async one(id: string): Promise<CommentDto> {
    const row = await this.comments.one(id, await this.accounts.coachId());
    if (!row) throw notFound('The comment');
    return toDto(row);
  }
}

/** Plain text with tidy line breaks (CRLF → LF, at most one blank line in a row). */
function normalizeBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
