import { formatDate, formatMoment } from '../common/dates';
import { FieldSpecs, FormBody, Notice, noticeFor } from '../web/forms';
import { PageData } from '../web/page';
import { PostDto, PostSummaryDto } from './dto/post.dto';

/** The post editor's view model: what its form shows, its plain words, its notices. */

/** The editor's body as Fastify's multipart parser gives it (strings and uploaded files). */
export type EditorBody = Record<string, unknown>;

export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
export const uploadedFile = (v: unknown): Buffer | null =>
  Buffer.isBuffer(v) && v.length > 0 ? v : null;

/** The editor's form values as the DTOs expect them (tags comma-separated, blanks dropped). */
export function postValues(body: FormBody): Record<string, unknown> {
  return {
    title: body.title ?? '',
    slug: body.slug || undefined,
    excerpt: body.excerpt ?? '',
    body: body.body ?? '',
    tags: (body.tags ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    coverAlt: body.coverAlt || undefined,
  };
}

export const EMPTY_POST: FormBody = {
  title: '',
  slug: '',
  excerpt: '',
  body: '',
  tags: '',
  coverImageId: '',
  coverAlt: '',
};

/** What the editor form shows for a saved post. */
export function savedValues(post: PostDto): FormBody {
  return {
    title: post.title,
    slug: post.slug,
    excerpt: post.excerpt,
    body: post.body,
    tags: post.tags.join(', '),
    coverImageId: post.coverImageId ?? '',
    coverAlt: post.coverAlt ?? '',
  };
}

/** Plain words per field of the editor, shown beside the field and in the summary. */
export const POST_FIELDS: FieldSpecs = {
  title: 'Give the post a title (at most 200 characters).',
  slug: 'The address may hold only lower-case letters, digits and single dashes (at most 120 characters), such as repair-over-perfection.',
  excerpt: 'Keep the excerpt under 500 characters.',
  body: 'Keep the body under 100,000 characters.',
  tags: 'Use at most 10 tags, separated by commas, each under 40 characters of letters, digits, spaces and dashes.',
  inlineImage: {},
  cover: {},
  coverAlt: 'Describe the cover in at most 300 characters.',
};

/** Publishing: a time to publish at, and the cover's description it needs (the service's words). */
export const PUBLISH_FIELDS: FieldSpecs = {
  publishAt: 'Please give a date and a time to publish at.',
  coverAlt: {},
};

/** Upload refusals belong beside the file input they came from. */
export const UPLOAD_FIELDS = {
  UNSUPPORTED_IMAGE: 'cover',
  IMAGE_TOO_LARGE: 'cover',
  PAYLOAD_TOO_LARGE: 'cover',
} as const;

/** The message after a save, linking to what changed where there is something to see. */
export function editorNotice(saved: string | undefined, post: PostDto): Notice | undefined {
  const view = { href: `/blog/${post.slug}`, text: 'View the post' };
  const preview = { href: `/blog/${post.slug}`, text: 'See it as readers will' };
  return noticeFor(saved, {
    published: { text: 'Published.', link: view },
    scheduled: { text: 'Scheduled: it publishes by itself at the time you chose.', link: preview },
    unpublished: 'Unpublished: only you can see it now.',
    '1':
      post.status === 'published'
        ? { text: 'Saved. Readers see the change now.', link: view }
        : { text: 'Draft saved. Only you can see it until you publish it.', link: preview },
  });
}

/** The editor page's data besides the form values. */
export function editorPage(
  post: PostDto | null,
  zone: string,
  scheduledLocal: string | null,
  extra: Record<string, unknown> = {},
): PageData {
  return {
    title: post ? `Edit: ${post.title}` : 'New post',
    post,
    zone,
    scheduledLocal,
    /** "2099-07-04 at 09:30", in the coach's zone (named beside it). */
    scheduledLabel: scheduledLocal ? scheduledLocal.replace('T', ' at ') : null,
    notifiedLabel: post?.notifiedAt ? formatDate(post.notifiedAt, zone) : null,
    status: post ? postStatus(post) : null,
    ...extra,
  };
}

/** The status label a post's editor shows. */
export function postStatus(post: PostSummaryDto): 'Published' | 'Scheduled' | 'Draft' {
  return post.status === 'published' ? 'Published' : post.publishAt ? 'Scheduled' : 'Draft';
}

/** One row of the coach's posts list, its times in her zone. */
export interface PostRow {
  id: string;
  title: string;
  status: ReturnType<typeof postStatus>;
  scheduledLabel: string | null;
  publishedLabel: string;
  ratingLabel: string;
  commentCount: number;
}

export function postRows(posts: PostSummaryDto[], zone: string): PostRow[] {
  return posts.map((p) => ({
    id: p.id,
    title: p.title,
    status: postStatus(p),
    scheduledLabel:
      p.publishAt && p.status !== 'published' ? formatMoment(p.publishAt, zone) : null,
    publishedLabel: p.publishedAt ? (formatMoment(p.publishedAt, zone) ?? '—') : '—',
    ratingLabel: p.rating.count ? `${p.rating.average} (${p.rating.count})` : '—',
    commentCount: p.commentCount,
  }));
}
