import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { pgCode } from '../../database/pg-code';
import { AccountsService } from '../../accounts/accounts.service';
import { isCoach } from '../../accounts/coach';
import { User } from '../../accounts/user.entity';
import { Clock } from '../../common/clock';
import { DomainError, notFound } from '../../common/errors';
import { JobsService } from '../../jobs/jobs.service';
import { ImagesService, PictureView } from '../../images/images.service';
import { validationFailed } from '../../common/validation';
import {
  CreatePostDto,
  PostDto,
  PostListDto,
  PostSummaryDto,
  UpdatePostDto,
} from '../dto/post.dto';
import { excerptFrom, renderMarkdown, RENDERER_VERSION } from '../../common/markdown';
import { Post } from './post.entity';
import {
  NeighbourRow,
  PageComment,
  PostDetailRow,
  PostRow,
  PostsRepository,
  StatusFilter,
} from './posts.repository';
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
/** Publishes scheduled drafts that are due: at each one's time (a delayed job) and every minute (a sweep). */
export const PUBLISH_QUEUE = 'content-publish-due';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Full-size cover URLs by image id (see PostsService.coverUrls). */
type CoverUrls = Map<string, string>;

function toSummary(r: PostRow, covers: CoverUrls = new Map()): PostSummaryDto {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    excerpt: r.excerpt,
    tags: r.tags,
    coverImageId: r.cover_image_id,
    coverAlt: r.cover_alt,
    coverUrl: (r.cover_image_id && covers.get(r.cover_image_id)) || null,
    publishAt: r.publish_at ? r.publish_at.toISOString() : null,
    status: r.status,
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    updatedAt: r.updated_at.toISOString(),
    rating: { average: r.rating_count ? r.rating_average : null, count: r.rating_count },
    commentCount: r.comment_count,
  };
}

function toDetail(r: PostDetailRow, covers: CoverUrls = new Map()): PostDto {
  return {
    ...toSummary(r, covers),
    body: r.body,
    html: r.body_html,
    notifiedAt: r.notify_requested_at ? r.notify_requested_at.toISOString() : null,
  };
}

@Injectable()
export class PostsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly posts: PostsRepository,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly images: ImagesService,
    private readonly accounts: AccountsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(PUBLISH_QUEUE, async () => {
      await this.publishDue();
    });
    this.jobs.schedule(PUBLISH_QUEUE, '* * * * *');
    this.images.registerUsageCheck(async (imageId) => {
      const title = await this.posts.titleUsingImageInBody(imageId);
      return title ? `the post “${title}”` : null;
    });
  }

  private async coverUrls(rows: { cover_image_id: string | null }[]): Promise<CoverUrls> {
    const pictures = await this.images.pictures(rows.map((r) => r.cover_image_id));
    return new Map([...pictures].map(([id, p]) => [id, p.src]));
  }

  /** Cover pictures of these posts for the pages (srcset, sizes), keyed by image id. */
  async coverPictures(
    posts: { coverImageId: string | null }[],
  ): Promise<Record<string, PictureView>> {
    return Object.fromEntries(await this.images.pictures(posts.map((p) => p.coverImageId)));
  }

  private async detail(r: PostDetailRow): Promise<PostDto> {
    return toDetail(r, await this.coverUrls([r]));
  }

  async list(
    query: { page?: number; tag?: string; status?: StatusFilter },
    viewer: User | null,
  ): Promise<PostListDto> {
    const status = query.status ?? 'published';
    if (status !== 'published' && !isCoach(viewer))
      throw new DomainError('FORBIDDEN', 'Only the coach sees drafts.');
    const page = query.page ?? 1;
    const tag = query.tag?.trim().toLowerCase() || null;
    const { rows, total } = await this.posts.page({
      status,
      tag,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const covers = await this.coverUrls(rows);
    return {
      posts: rows.map((r) => toSummary(r, covers)),
      page,
      pageSize: PAGE_SIZE,
      total,
      totalPages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    };
  }

  async latest(n: number): Promise<PostSummaryDto[]> {
    const { rows } = await this.posts.page({ status: 'published', tag: null, limit: n, offset: 0 });
    const covers = await this.coverUrls(rows);
    return rows.map((r) => toSummary(r, covers));
  }

  async tags(): Promise<{ tag: string; count: number }[]> {
    return this.posts.publishedTags();
  }

  /** A post by slug: drafts exist only for the coach (404 to everyone else). */
  async bySlug(slug: string, viewer: User | null): Promise<PostDto> {
    const row = await this.posts.detailBySlug(slug);
    if (!row || (row.status !== 'published' && !isCoach(viewer))) throw notFound('The post');
    return this.detail(await this.freshRendering(row));
  }

  /** What the post page shows, in one query: the post (drafts for the coach only) and its approved comments. */
  async page(
    slug: string,
    viewer: User | null,
  ): Promise<{ post: PostDto; comments: PageComment[] }> {
    const row = await this.posts.pageBySlug(slug, await this.accounts.coachId());
    if (!row || (row.status !== 'published' && !isCoach(viewer))) throw notFound('The post');
    return { post: await this.detail(await this.freshRendering(row)), comments: row.comments };
  }

  async byId(id: string): Promise<PostDto> {
    const row = UUID.test(id) ? await this.posts.detailById(id) : null;
    if (!row) throw notFound('The post');
    return this.detail(await this.freshRendering(row));
  }

  /** The published post a reader acts on (comment, rating), or 404. */
  async publishedId(slug: string, viewer: User | null): Promise<{ id: string; title: string }> {
    const post = await this.posts.publishedState(slug);
    if (!post || (post.status !== 'published' && !isCoach(viewer))) throw notFound('The post');
    return { id: post.id, title: post.title };
  }

  async create(dto: CreatePostDto, author: User): Promise<PostDto> {
    await this.checkCover(dto.coverImageId);
    const explicit = Boolean(dto.slug);
    const slug =
      dto.slug ?? firstFreeSlug(slugify(dto.title), await this.posts.slugsLike(slugify(dto.title)));
    const id = await this.uniqueSlug(explicit, () =>
      this.posts.insert({
        authorId: author.id,
        title: dto.title,
        slug,
        excerpt: dto.excerpt ?? excerptFrom(dto.body),
        body: dto.body,
        bodyHtml: renderMarkdown(dto.body),
        renderedWith: RENDERER_VERSION,
        tags: uniqueTags(dto.tags ?? []),
        coverImageId: dto.coverImageId ?? null,
        coverAlt: dto.coverAlt || null,
        status: 'draft',
        publishedAt: null,
      }),
    );
    return this.byId(id);
  }

  async update(id: string, dto: UpdatePostDto): Promise<PostDto> {
    await this.checkCover(dto.coverImageId);
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
        if (dto.coverImageId !== undefined) post.coverImageId = dto.coverImageId || null;
        if (dto.coverAlt !== undefined) post.coverAlt = dto.coverAlt || null;
        if (post.status === 'published' || post.publishAt) requireCoverAlt(post);
        await this.posts.save(m, post);
        return post.id;
      }),
    );
    return this.byId(id);
  }

  /**
   * Publishes now (keeping the first publication date on a re-publish), or — with a `publishAt`
   * in the future — schedules the draft for then. With `notifySubscribers`, the send request is
   * recorded and a batch job enqueued in the same transaction as the publication; the deliveries
   * table makes sure nobody gets the same post twice, however often this is called.
   */
  async publish(id: string, notifySubscribers: boolean, publishAt?: string): Promise<PostDto> {
    await this.dataSource.transaction(async (m) => {
      const post = await this.lockPost(m, id);
      const now = this.clock.now();
      const at = publishAt ? new Date(publishAt) : null;
      requireCoverAlt(post);
      if (at && at.getTime() > now.getTime() && post.status === 'draft') {
        post.publishAt = at;
        post.notifyOnPublish = notifySubscribers;
        await this.posts.save(m, post);
        // On time, from whichever instance takes the job; the every-minute sweep is the safety net.
        await this.jobs.sendInTransaction(
          m,
          PUBLISH_QUEUE,
          { postId: post.id },
          { startAfter: at },
        );
        return;
      }
      post.status = 'published';
      post.publishedAt ??= now;
      post.publishAt = null;
      post.notifyOnPublish = false;
      if (notifySubscribers) {
        post.notifyRequestedAt ??= now;
        await this.jobs.sendInTransaction(m, NEWSLETTER_QUEUE, { postId: post.id });
      }
      await this.posts.save(m, post);
    });
    return this.byId(id);
  }

  /** Publishes every scheduled draft that is due, each exactly once across instances. */
  async publishDue(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const due = await this.posts.lockDue(m, now);
      for (const post of due) {
        await this.posts.markScheduledPublished(m, post.id, now, post.notify_on_publish);
        if (post.notify_on_publish)
          await this.jobs.sendInTransaction(m, NEWSLETTER_QUEUE, { postId: post.id });
      }
      return due.length;
    });
  }

  /** The published posts before and after one (for the post page). */
  async neighbours(
    post: PostDto,
  ): Promise<{ previous: NeighbourRow | null; next: NeighbourRow | null }> {
    if (post.status !== 'published' || !post.publishedAt) return { previous: null, next: null };
    return this.posts.neighbours(new Date(post.publishedAt), post.id);
  }

  private async checkCover(coverImageId: string | null | undefined): Promise<void> {
    if (coverImageId && !(await this.images.exists(coverImageId))) {
      throw validationFailed({ coverImageId: ['coverImageId must be an uploaded image id'] });
    }
  }

  /**
   * The editor's autosave: a draft's title and body, as typed (a published post changes only
   * through Save, so readers never see half a sentence).
   */
  async autosave(
    id: string,
    draft: { title: string; body: string },
  ): Promise<{ saved: boolean; savedAt: string | null; reason?: string }> {
    const title = draft.title.trim();
    if (!title || title.length > 200 || draft.body.length > 100_000)
      return { saved: false, savedAt: null, reason: 'invalid' };
    return this.dataSource.transaction(async (m) => {
      const post = await this.lockPost(m, id);
      if (post.status !== 'draft') return { saved: false, savedAt: null, reason: 'published' };
      post.title = title;
      if (draft.body !== post.body) {
        post.body = draft.body;
        post.bodyHtml = renderMarkdown(draft.body);
        post.renderedWith = RENDERER_VERSION;
      }
      await this.posts.save(m, post);
      return { saved: true, savedAt: post.updatedAt.toISOString() };
    });
  }

  async unpublish(id: string): Promise<PostDto> {
    await this.dataSource.transaction(async (m) => {
      const post = await this.lockPost(m, id);
      post.status = 'draft';
      post.publishAt = null; // also cancels a scheduled publication
      post.notifyOnPublish = false;
      await this.posts.save(m, post);
    });
    return this.byId(id);
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('The post');
    if (!(await this.posts.delete(id))) throw notFound('The post');
  }

  /** Published posts for the feed and the sitemap, newest first. */
  async publishedForFeed(limit: number): Promise<FeedPost[]> {
    const rows = await this.posts.publishedForFeed(limit);
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
    const post = UUID.test(id) ? await this.posts.lockForUpdate(m, id) : null;
    if (!post) throw notFound('The post');
    return post;
  }

  /** Re-renders a post whose HTML was made by an older renderer (and stores the result). */
  private async freshRendering<
    T extends { id: string; body: string; body_html: string; rendered_with: number },
  >(row: T): Promise<T> {
    if (row.rendered_with === RENDERER_VERSION) return row;
    const html = renderMarkdown(row.body);
    await this.posts.storeRendering(row.id, html, RENDERER_VERSION);
    return { ...row, body_html: html, rendered_with: RENDERER_VERSION };
  }

  private async uniqueSlug<T>(explicit: boolean, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (pgCode(e) === '23505') {
        throw new DomainError(
          'SLUG_TAKEN',
          explicit
            ? 'Another post already uses this slug. Please choose another.'
            : 'Another post was just saved with this title. Please try again.',
        );
      }
      throw e;
    }
  }
}

/** A cover needs its description before the post goes out (the database checks it too). */
function requireCoverAlt(post: Post): void {
  if (post.coverImageId && !post.coverAlt?.trim()) {
    throw validationFailed({
      coverAlt: [
        'Please describe the cover image (what it shows) before publishing: people who can’t see it rely on this.',
      ],
    });
  }
}

function uniqueTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))];
}
