import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../../accounts/user.entity';
import { Image } from '../../images/image.entity';

export type PostStatus = 'draft' | 'published';

/**
 * A piece of the coach's writing. The Markdown body is the source; `bodyHtml` is its sanitised
 * rendering, cached per body version (`renderedWith` names the renderer that made it, so a safer
 * renderer re-renders old posts on their next read).
 */
@Entity('posts')
@Index('UQ_posts_slug', ['slug'], { unique: true })
@Index('IDX_posts_published', ['status', 'publishedAt'])
// A GIN index on tags (for `?tag=`) is created by hand in the migration; TypeORM can't declare GIN.
@Index('IDX_posts_tags', { synchronize: false })
@Check('CHK_posts_status', `"status" IN ('draft', 'published')`)
@Check('CHK_posts_published_at', `"status" = 'draft' OR "published_at" IS NOT NULL`)
// A cover needs its description before the post goes out (published or scheduled).
@Check(
  'CHK_posts_cover_alt',
  `"cover_image_id" IS NULL OR ("status" = 'draft' AND "publish_at" IS NULL) OR length(btrim(coalesce("cover_alt", ''))) > 0`,
)
@Index('IDX_posts_publish_at', ['publishAt'], {
  where: `"publish_at" IS NOT NULL AND "status" = 'draft'`,
})
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: User;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text', default: '' })
  excerpt: string;

  /** Markdown. */
  @Column({ type: 'text', default: '' })
  body: string;

  @Column({ name: 'body_html', type: 'text', default: '' })
  bodyHtml: string;

  @Column({ name: 'rendered_with', type: 'integer', default: 0 })
  renderedWith: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  /** An uploaded image; one in use can't be deleted (RESTRICT). */
  @Column({ name: 'cover_image_id', type: 'uuid', nullable: true })
  coverImageId: string | null;

  @ManyToOne(() => Image, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cover_image_id' })
  coverImage?: Image;

  /** The cover's description for people who can't see it (required to publish with a cover). */
  @Column({ name: 'cover_alt', type: 'text', nullable: true })
  coverAlt: string | null;

  /** A draft with a publish time is published then, once (by the scheduled-publishing job). */
  @Column({ name: 'publish_at', type: 'timestamptz', nullable: true })
  publishAt: Date | null;

  /** Whether the scheduled publication mails subscribers. */
  @Column({ name: 'notify_on_publish', type: 'boolean', default: false })
  notifyOnPublish: boolean;

  @Column({ type: 'text', default: 'draft' })
  status: PostStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** When the coach first asked for this post to be mailed to subscribers (never re-sent). */
  @Column({ name: 'notify_requested_at', type: 'timestamptz', nullable: true })
  notifyRequestedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
