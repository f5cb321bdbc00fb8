import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Post, PostStatus } from './post.entity';

/** A post row with its rating summary and approved-comment count, computed in one query. */
export interface PostRow {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  tags: string[];
  cover_image_id: string | null;
  cover_alt: string | null;
  publish_at: Date | null;
  status: PostStatus;
  published_at: Date | null;
  updated_at: Date;
  rating_average: number | null;
  rating_count: number;
  comment_count: number;
}

export interface PostDetailRow extends PostRow {
  body: string;
  body_html: string;
  rendered_with: number;
  notify_requested_at: Date | null;
}

const SUMMARY_COLUMNS = `p.id, p.slug, p.title, p.excerpt, p.tags, p.cover_image_id, p.cover_alt, p.publish_at, p.status,
  p.published_at, p.updated_at, r.average AS rating_average, r.count AS rating_count, c.count AS comment_count`;

const AGGREGATES = `
  LEFT JOIN LATERAL (
    SELECT round(avg(pr.stars)::numeric, 1)::float8 AS average, count(*)::int AS count
    FROM post_ratings pr WHERE pr.post_id = p.id
  ) r ON true
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS count FROM comments cm WHERE cm.post_id = p.id AND cm.status = 'approved'
  ) c ON true`;

/** An approved comment as the post page shows it. */
export interface PageComment {
  id: string;
  name: string;
  body: string;
  createdAt: string;
  byCoach: boolean;
}

export interface PostPageRow extends PostDetailRow {
  comments: PageComment[];
}

export interface NeighbourRow {
  slug: string;
  title: string;
}

export type StatusFilter = 'published' | 'draft' | 'all';

/** What a newsletter mail about a post needs. */
export interface NewsletterPost {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  bodyHtml: string;
  status: PostStatus;
  notifyRequestedAt: Date | null;
}

/** A published post as the feeds show it (the rendering may need refreshing). */
export type FeedRow = Pick<
  PostDetailRow,
  | 'id'
  | 'slug'
  | 'title'
  | 'excerpt'
  | 'tags'
  | 'body_html'
  | 'rendered_with'
  | 'body'
  | 'published_at'
  | 'updated_at'
>;

/** Every query about posts that is more than a primary-key lookup. */
@Injectable()
export class PostsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of posts, newest first (drafts, having no date, before them for the coach). */
  async page(filter: {
    status: StatusFilter;
    tag: string | null;
    limit: number;
    offset: number;
  }): Promise<{ rows: PostRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== 'all') {
      params.push(filter.status);
      where.push(`p.status = $${params.length}`);
    }
    if (filter.tag) {
      params.push([filter.tag]);
      where.push(`p.tags @> $${params.length}::text[]`);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM posts p ${whereSql}`,
      params,
    )) as { total: number }[];
    params.push(filter.limit, filter.offset);
    const rows = (await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM posts p ${AGGREGATES} ${whereSql}
       ORDER BY p.published_at DESC NULLS FIRST, p.created_at DESC, p.id
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as PostRow[];
    return { rows, total };
  }

  async detailBySlug(slug: string): Promise<PostDetailRow | null> {
    return this.detail('p.slug = $1', slug);
  }

  async detailById(id: string): Promise<PostDetailRow | null> {
    return this.detail('p.id = $1', id);
  }

  private async detail(condition: string, value: string): Promise<PostDetailRow | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}, p.body, p.body_html, p.rendered_with, p.notify_requested_at
       FROM posts p ${AGGREGATES} WHERE ${condition}`,
      [value],
    )) as PostDetailRow[];
    return rows[0] ?? null;
  }

  /**
   * The post page in one round trip: the post, its rating summary and its approved comments
   * (oldest first, at most 500) as JSON; `coachId` marks the coach's own comments.
   */
  async pageBySlug(slug: string, coachId: string | null): Promise<PostPageRow | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}, p.body, p.body_html, p.rendered_with, p.notify_requested_at, cl.comments
       FROM posts p ${AGGREGATES}
       LEFT JOIN LATERAL (
         SELECT coalesce(json_agg(json_build_object(
                  'id', cm.id, 'name', cm.author_name, 'body', cm.body,
                  'createdAt', to_char(cm.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  'byCoach', (cm.user_id = $2::uuid) IS TRUE
                ) ORDER BY cm.created_at, cm.id), '[]'::json) AS comments
         FROM (SELECT * FROM comments WHERE post_id = p.id AND status = 'approved' ORDER BY created_at, id LIMIT 500) cm
       ) cl ON true
       WHERE p.slug = $1`,
      [slug, coachId],
    )) as PostPageRow[];
    return rows[0] ?? null;
  }

  /** A post by slug with just what deciding who may act on it needs. */
  publishedState(slug: string): Promise<Pick<Post, 'id' | 'title' | 'status'> | null> {
    return this.dataSource.manager.findOne(Post, {
      where: { slug },
      select: { id: true, title: true, status: true },
    });
  }

  /** Published posts, newest first, for the feeds and the sitemap. */
  async publishedForFeed(limit: number): Promise<FeedRow[]> {
    return (await this.dataSource.query(
      `SELECT p.id, p.slug, p.title, p.excerpt, p.tags, p.body_html, p.rendered_with, p.body, p.published_at, p.updated_at
       FROM posts p WHERE p.status = 'published' ORDER BY p.published_at DESC, p.id LIMIT $1`,
      [limit],
    )) as FeedRow[];
  }

  /** Whether any post exists at all (drafts included). */
  hasAny(): Promise<boolean> {
    return this.dataSource.manager.exists(Post);
  }

  async forNewsletter(m: EntityManager, id: string): Promise<NewsletterPost | null> {
    const post = await m.findOne(Post, {
      where: { id },
      select: {
        id: true,
        slug: true,
        title: true,
        excerpt: true,
        bodyHtml: true,
        status: true,
        notifyRequestedAt: true,
      },
    });
    return post
      ? {
          id: post.id,
          slug: post.slug,
          title: post.title,
          excerpt: post.excerpt,
          bodyHtml: post.bodyHtml,
          status: post.status,
          notifyRequestedAt: post.notifyRequestedAt,
        }
      : null;
  }

  /** Saves a new post; returns its id. */
  async insert(post: Partial<Post>, m: EntityManager = this.dataSource.manager): Promise<string> {
    return (await m.save(m.create(Post, post))).id;
  }

  /** A post locked for the rest of the caller's transaction, to change it. */
  lockForUpdate(m: EntityManager, id: string): Promise<Post | null> {
    return m.findOne(Post, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(m: EntityManager, post: Post): Promise<void> {
    await m.save(post);
  }

  /** False when there is no such post. */
  async delete(id: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(Post, { id });
    return Boolean(result.affected);
  }

  /** The post an API path names by its id or its slug (an id wins), or null. */
  async findRef(idOrSlug: string): Promise<{ id: string; slug: string } | null> {
    const rows = (await this.dataSource.query(
      `SELECT id, slug FROM posts WHERE id::text = $1 OR slug = $1 ORDER BY (id::text = $1) DESC LIMIT 1`,
      [idOrSlug],
    )) as { id: string; slug: string }[];
    return rows[0] ?? null;
  }

  /** Slugs equal to `base` or `base-N`, to pick a free one. */
  async slugsLike(base: string): Promise<Set<string>> {
    const rows = (await this.dataSource.query(
      `SELECT slug FROM posts WHERE slug = $1 OR slug LIKE $2`,
      [base, `${base}-%`],
    )) as { slug: string }[];
    return new Set(rows.map((r) => r.slug));
  }

  /** Tags of published posts with how many posts carry each. */
  async publishedTags(): Promise<{ tag: string; count: number }[]> {
    return (await this.dataSource.query(
      `SELECT t.tag, count(*)::int AS count FROM posts p, unnest(p.tags) AS t(tag)
       WHERE p.status = 'published' GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT 30`,
    )) as { tag: string; count: number }[];
  }

  /** The published posts just before (older) and after (newer) this one, in one round trip. */
  async neighbours(
    publishedAt: Date,
    id: string,
  ): Promise<{ previous: NeighbourRow | null; next: NeighbourRow | null }> {
    const rows = (await this.dataSource.query(
      `(SELECT 'previous' AS side, slug, title FROM posts WHERE status = 'published' AND (published_at, id) < ($1, $2)
        ORDER BY published_at DESC, id DESC LIMIT 1)
       UNION ALL
       (SELECT 'next' AS side, slug, title FROM posts WHERE status = 'published' AND (published_at, id) > ($1, $2)
        ORDER BY published_at, id LIMIT 1)`,
      [publishedAt, id],
    )) as (NeighbourRow & { side: 'previous' | 'next' })[];
    const pick = (side: string): NeighbourRow | null => {
      const row = rows.find((r) => r.side === side);
      return row ? { slug: row.slug, title: row.title } : null;
    };
    return { previous: pick('previous'), next: pick('next') };
  }

  /**
   * Scheduled drafts whose time has come, locked for this transaction; a row another instance is
   * already publishing is skipped (SKIP LOCKED), so each is published once.
   */
  async lockDue(
    m: EntityManager,
    now: Date,
  ): Promise<{ id: string; notify_on_publish: boolean }[]> {
    return (await m.query(
      `SELECT id, notify_on_publish FROM posts WHERE status = 'draft' AND publish_at IS NOT NULL AND publish_at <= $1
       ORDER BY publish_at, id LIMIT 50 FOR UPDATE SKIP LOCKED`,
      [now],
    )) as { id: string; notify_on_publish: boolean }[];
  }

  async markScheduledPublished(
    m: EntityManager,
    id: string,
    now: Date,
    notify: boolean,
  ): Promise<void> {
    await m.query(
      `UPDATE posts SET status = 'published', published_at = coalesce(published_at, publish_at), publish_at = NULL,
         notify_on_publish = false, notify_requested_at = CASE WHEN $3 THEN coalesce(notify_requested_at, $2) ELSE notify_requested_at END,
         updated_at = now()
       WHERE id = $1`,
      [id, now, notify],
    );
  }

  /** A post whose Markdown shows this image (so the image must stay), or null. */
  async titleUsingImageInBody(imageId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT title FROM posts WHERE strpos(body, $1) > 0 LIMIT 1`,
      [`/images/${imageId}/`],
    )) as { title: string }[];
    return rows[0]?.title ?? null;
  }

  async storeRendering(id: string, html: string, version: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE posts SET body_html = $2, rendered_with = $3 WHERE id = $1`,
      [id, html, version],
    );
  }
}
