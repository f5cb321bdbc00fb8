import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { User } from '../../accounts/user.entity';
import { Clock } from '../../common/clock';
import { DomainError, notFound } from '../../common/errors';
import { JobsService } from '../../jobs/jobs.service';
import { CreatePostDto, PostDto, PostListDto, PostSummaryDto, UpdatePostDto } from '../dto/post.dto';
import { excerptFrom, renderMarkdown, RENDERER_VERSION } from '../../common/markdown';
import { Post } from './post.entity';
import { PageComment, PostDetailRow, PostRow, PostsRepository, StatusFilter } from './posts.repository';
import { firstFreeSlug, slugify } from './slug';

export const PAGE_SIZE = 10;

export interface FeedPost {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  tags: string[];
  /** Sanitised HTML. */
  html: string;
  publishedAt: Date;
  updatedAt: Date;
}
export const NEWSLETTER_QUEUE = 'content-newsletter-batch';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCoach(viewer: User | null | undefined): boolean {
  return viewer?.role === 'coach';
}

function toSummary(r: PostRow): PostSummaryDto {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    excerpt: r.excerpt,
    tags: r.tags,
    coverImageUrl: r.cover_image_url,
    coverImageAlt: r.cover_image_alt,
    status: r.status,
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    updatedAt: r.updated_at.toISOString(),
    rating: { average: r.rating_count ? r.rating_average : null, count: r.rating_count },
    commentCount: r.comment_count,
  };
}

function toDetail(r: PostDetailRow): PostDto {
  return {
    ...toSummary(r),
    body: r.body,
    html: r.body_html,
    notifiedAt: r.notify_requested_at ? r.notify_requested_at.toISOString() : null,
  };
}

@Injectable()
export class PostsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly posts: PostsRepository,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  async list(query: { page?: number; tag?: string; status?: StatusFilter }, viewer: User | null): Promise<PostListDto> {
    const status = query.status ?? 'published';
    if (status !== 'published' && !isCoach(viewer)) throw new DomainError('FORBIDDEN', 'Only the coach sees drafts.');
    const page = query.page ?? 1;
    const tag = query.tag?.trim().toLowerCase() || null;
    const { rows, total } = await this.posts.page({ status, tag, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return { posts: rows.map(toSummary), page, pageSize: PAGE_SIZE, total, totalPages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
  }

  async latest(n: number): Promise<PostSummaryDto[]> {
    const { rows } = await this.posts.page({ status: 'published', tag: null, limit: n, offset: 0 });
    return rows.map(toSummary);
  }

  async tags(): Promise<{ tag: string; count: number }[]> {
    return this.posts.publishedTags();
  }

  /** A post by slug: drafts exist only for the coach (404 to everyone else). */
  async bySlug(slug: string, viewer: User | null): Promise<PostDto> {
    const row = await this.posts.detailBySlug(slug);
    if (!row || (row.status !== 'published' && !isCoach(viewer))) throw notFound('The post');
    return toDetail(await this.freshRendering(row));
  }

  /** What the post page shows, in one query: the post (drafts for the coach only) and its approved comments. */
  async page(slug: string, viewer: User | null): Promise<{ post: PostDto; comments: PageComment[] }> {
    const row = await this.posts.pageBySlug(slug);
    if (!row || (row.status !== 'published' && !isCoach(viewer))) throw notFound('The post');
    return { post: toDetail(await this.freshRendering(row)), comments: row.comments };
  }

  async byId(id: string): Promise<PostDto> {
    const row = UUID.test(id) ? await this.posts.detailById(id) : null;
    if (!row) throw notFound('The post');
    return toDetail(await this.freshRendering(row));
  }

  /** The published post a reader acts on (comment, rating), or 404. */
  async publishedId(slug: string, viewer: User | null): Promise<{ id: string; title: string }> {
    const post = await this.dataSource.getRepository(Post).findOne({ where: { slug }, select: { id: true, title: true, status: true } });
    if (!post || (post.status !== 'published' && !isCoach(viewer))) throw notFound('The post');
    return { id: post.id, title: post.title };
  }

  async create(dto: CreatePostDto, author: User): Promise<PostDto> {
    const explicit = Boolean(dto.slug);
    const slug = dto.slug ?? firstFreeSlug(slugify(dto.title), await this.posts.slugsLike(slugify(dto.title)));
    const id = await this.uniqueSlug(explicit, async () => {
      const post = this.dataSource.getRepository(Post).create({
        authorId: author.id,
        title: dto.title,
        slug,
        excerpt: dto.excerpt ?? excerptFrom(dto.body),
        body: dto.body,
        bodyHtml: renderMarkdown(dto.body),
        renderedWith: RENDERER_VERSION,
        tags: uniqueTags(dto.tags ?? []),
        coverImageUrl: dto.coverImageUrl ?? null,
        coverImageAlt: dto.coverImageAlt ?? null,
        status: 'draft',
        publishedAt: null,
      });
      return (await this.dataSource.getRepository(Post).save(post)).id;
    });
    return this.byId(id);
  }

  async update(id: string, dto: UpdatePostDto): Promise<PostDto> {
    await this.uniqueSlug(true, () =>
      this.dataSource.transaction(async (m) => {
        const post = await this.lockPost(m, id);
        if (dto.title !== undefined) post.title = dto.title;
        if (dto.slug !== undefined) post.slug = dto.slug;
        if (dto.body !== undefined && dto.body !== post.body) {
          post.body = dto.body;
          post.bodyHtml = renderMarkdown(dto.body);
          post.renderedWith = RENDERER_VERSION;
        }
        if (dto.excerpt !== undefined) post.excerpt = dto.excerpt || excerptFrom(post.body);
        if (dto.tags !== undefined) post.tags = uniqueTags(dto.tags);
        if (dto.coverImageUrl !== undefined) post.coverImageUrl = dto.coverImageUrl || null;
        if (dto.coverImageAlt !== undefined) post.coverImageAlt = dto.coverImageAlt || null;
        await m.save(post);
        return post.id;
      }),
    );
    return this.byId(id);
  }

  /**
   * Publishes (keeping the first publication date on a re-publish). With `notifySubscribers`, the
   * send request is recorded and a batch job enqueued in the same transaction; the deliveries
   * table makes sure nobody gets the same post twice, however often this is called.
   */
  async publish(id: string, notifySubscribers: boolean): Promise<PostDto> {
    await this.dataSource.transaction(async (m) => {
      const post = await this.lockPost(m, id);
      const now = this.clock.now();
      post.status = 'published';
      post.publishedAt ??= now;
      if (notifySubscribers) {
        post.notifyRequestedAt ??= now;
        await this.jobs.sendInTransaction(m, NEWSLETTER_QUEUE, { postId: post.id });
      }
      await m.save(post);
    });
    return this.byId(id);
  }

  async unpublish(id: string): Promise<PostDto> {
    await this.dataSource.transaction(async (m) => {
      const post = await this.lockPost(m, id);
      post.status = 'draft';
      await m.save(post);
    });
    return this.byId(id);
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('The post');
    const result = await this.dataSource.getRepository(Post).delete({ id });
    if (!result.affected) throw notFound('The post');
  }

  /** Published posts for the feed and the sitemap, newest first. */
  async publishedForFeed(limit: number): Promise<FeedPost[]> {
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.slug, p.title, p.excerpt, p.tags, p.body_html, p.rendered_with, p.body, p.published_at, p.updated_at
       FROM posts p WHERE p.status = 'published' ORDER BY p.published_at DESC, p.id LIMIT $1`,
      [limit],
    )) as PostDetailRow[];
    const fresh = await Promise.all(rows.map((r) => this.freshRendering(r)));
    return fresh.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      excerpt: r.excerpt,
      tags: r.tags,
      html: r.body_html,
      publishedAt: r.published_at ?? r.updated_at,
      updatedAt: r.updated_at,
    }));
  }

  private async lockPost(m: EntityManager, id: string): Promise<Post> {
    const post = UUID.test(id) ? await m.findOne(Post, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!post) throw notFound('The post');
    return post;
  }

  /** Re-renders a post whose HTML was made by an older renderer (and stores the result). */
  private async freshRendering<T extends { id: string; body: string; body_html: string; rendered_with: number }>(row: T): Promise<T> {
    if (row.rendered_with === RENDERER_VERSION) return row;
    const html = renderMarkdown(row.body);
    await this.posts.storeRendering(row.id, html, RENDERER_VERSION);
    return { ...row, body_html: html, rendered_with: RENDERER_VERSION };
  }

  private async uniqueSlug<T>(explicit: boolean, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string; constraint?: string }).code === '23505') {
        throw new DomainError('SLUG_TAKEN', explicit ? 'Another post already uses this slug. Please choose another.' : 'Another post was just saved with this title. Please try again.');
      }
      throw e;
    }
  }
}

function uniqueTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))];
}
