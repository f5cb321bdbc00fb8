import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../../accounts/user.entity';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/errors';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { JobsService } from '../../jobs/jobs.service';
import { MailService } from '../../mail/mail.service';
import { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { CommentDto, CreateCommentDto, PublicCommentDto } from '../dto/comment.dto';
import { isCoach, PostsService } from '../posts/posts.service';
import { Comment, CommentStatus } from './comment.entity';

export const DIGEST_QUEUE = 'content-comment-digest';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CommentRow {
  id: string;
  author_name: string;
  body: string;
  status: CommentStatus;
  created_at: Date;
  by_coach: boolean;
  post_id: string;
  post_slug: string;
  post_title: string;
}

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

const SELECT = `SELECT c.id, c.author_name, c.body, c.status, c.created_at, (u.role = 'coach') IS TRUE AS by_coach,
  p.id AS post_id, p.slug AS post_slug, p.title AS post_title
  FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN users u ON u.id = c.user_id`;

export type CommentOutcome = { status: 'pending' } | { status: 'approved'; comment: CommentDto };

@Injectable()
export class CommentsService implements OnModuleInit {
  private readonly logger = new Logger(CommentsService.name);

  constructor(
    private readonly dataSource: DataSource,
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
    const row = await this.dataSource.getRepository(Comment).save({
      postId: post.id,
      userId: viewer?.id ?? null,
      authorName: dto.name,
      body: normalizeBody(dto.body),
      status: coach ? 'approved' : 'pending',
      moderatedAt: coach ? this.clock.now() : null,
    });
    if (!coach) return { status: 'pending' };
    return { status: 'approved', comment: await this.one(row.id) };
  }

  /** Approved comments of a published post, oldest first. */
  async approvedFor(slug: string, viewer: User | null): Promise<PublicCommentDto[]> {
    const post = await this.posts.publishedId(slug, viewer);
    return this.approvedForPost(post.id);
  }

  /** Approved comments of a post the caller has already loaded (the post page). */
  async approvedForPost(postId: string): Promise<PublicCommentDto[]> {
    const rows = (await this.dataSource.query(
      `${SELECT} WHERE c.post_id = $1 AND c.status = 'approved' ORDER BY c.created_at, c.id LIMIT 500`,
      [postId],
    )) as CommentRow[];
    return rows.map(toPublic);
  }

  async list(status: CommentStatus): Promise<CommentDto[]> {
    const order = status === 'pending' ? 'ASC' : 'DESC';
    const rows = (await this.dataSource.query(
      `${SELECT} WHERE c.status = $1 ORDER BY c.created_at ${order}, c.id LIMIT 500`,
      [status],
    )) as CommentRow[];
    return rows.map(toDto);
  }

  async moderate(id: string, status: 'approved' | 'rejected'): Promise<CommentDto> {
    if (!UUID.test(id)) throw notFound('The comment');
    const result = await this.dataSource
      .getRepository(Comment)
      .update({ id }, { status, moderatedAt: this.clock.now() });
    if (!result.affected) throw notFound('The comment');
    return this.one(id);
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('The comment');
    const result = await this.dataSource.getRepository(Comment).delete({ id });
    if (!result.affected) throw notFound('The comment');
  }

  async pendingCount(): Promise<number> {
    return this.dataSource.getRepository(Comment).count({ where: { status: 'pending' } });
  }

  /** The daily digest: one mail to the coach listing pending comments; nothing when none wait. */
  async sendDigest(): Promise<boolean> {
    const pending = await this.list('pending');
    if (!pending.length) return false;
    const coach = (await this.dataSource.query(
      `SELECT email FROM users WHERE role = 'coach' ORDER BY created_at LIMIT 1`,
    )) as { email: string }[];
    if (!coach.length) return false;
    const lines = pending.slice(0, 50).map((c) => {
      const snippet = c.body.replace(/\s+/g, ' ').slice(0, 160);
      return `• ${c.name} on “${c.postTitle}”:\n  ${snippet}${c.body.length > 160 ? '…' : ''}`;
    });
    const more = pending.length > 50 ? `\n…and ${pending.length - 50} more.\n` : '';
    await this.dataSource.transaction((m) =>
      this.mail.enqueue(m, {
        kind: 'comment_digest',
        to: coach[0].email,
        subject: `${pending.length} comment${pending.length === 1 ? '' : 's'} waiting for you`,
        text: `Good morning,\n\n${pending.length === 1 ? 'One comment is' : `${pending.length} comments are`} waiting for moderation:\n\n${lines.join('\n\n')}\n${more}\nApprove or reject them here:\n${this.config.publicUrl}/coach/comments\n\n— Mend`,
      }),
    );
    return true;
  }

  private async one(id: string): Promise<CommentDto> {
    const rows = (await this.dataSource.query(`${SELECT} WHERE c.id = $1`, [id])) as CommentRow[];
    if (!rows.length) throw notFound('The comment');
    return toDto(rows[0]);
  }
}

/** Plain text with tidy line breaks (CRLF → LF, at most one blank line in a row). */
function normalizeBody(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
