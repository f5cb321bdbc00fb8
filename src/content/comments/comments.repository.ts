import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Comment, CommentStatus } from './comment.entity';

/** A comment with its post's slug and title, and whether the coach wrote it. */
export interface CommentRow {
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

/** A person's own comment, for their data export. */
export interface OwnCommentRow {
  post: string;
  name: string;
  body: string;
  status: string;
  created_at: Date;
}

/** `$1` is the coach's user id (or null): a comment is the coach's when she wrote it. */
const SELECT = `SELECT c.id, c.author_name, c.body, c.status, c.created_at, (c.user_id = $1) IS TRUE AS by_coach,
  p.id AS post_id, p.slug AS post_slug, p.title AS post_title
  FROM comments c JOIN posts p ON p.id = c.post_id`;

/** The comments table. Who "the coach" is comes from the accounts module, as `coachId`. */
@Injectable()
export class CommentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(comment: {
    postId: string;
    userId: string | null;
    authorName: string;
    body: string;
    status: CommentStatus;
    moderatedAt: Date | null;
  }): Promise<string> {
    return (await this.dataSource.getRepository(Comment).save(comment)).id;
  }

  async one(id: string, coachId: string | null): Promise<CommentRow | null> {
    const rows = (await this.dataSource.query(`${SELECT} WHERE c.id = $2`, [
      coachId,
      id,
    ])) as CommentRow[];
    return rows[0] ?? null;
  }

  /** Approved comments of a post, oldest first (at most 500). */
  async approvedOfPost(postId: string, coachId: string | null): Promise<CommentRow[]> {
    return (await this.dataSource.query(
      `${SELECT} WHERE c.post_id = $2 AND c.status = 'approved' ORDER BY c.created_at, c.id LIMIT 500`,
      [coachId, postId],
    )) as CommentRow[];
  }

  /** Comments with this status (at most 500): oldest first, or newest first. */
  async withStatus(
    status: CommentStatus,
    order: 'oldest' | 'newest',
    coachId: string | null,
  ): Promise<CommentRow[]> {
    const direction = order === 'oldest' ? 'ASC' : 'DESC';
    return (await this.dataSource.query(
      `${SELECT} WHERE c.status = $2 ORDER BY c.created_at ${direction}, c.id LIMIT 500`,
      [coachId, status],
    )) as CommentRow[];
  }

  /** Records the coach's decision; false when there is no such comment. */
  async markModerated(id: string, status: CommentStatus, at: Date): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(Comment)
      .update({ id }, { status, moderatedAt: at });
    return Boolean(result.affected);
  }

  /** False when there is no such comment. */
  async delete(id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(Comment).delete({ id });
    return Boolean(result.affected);
  }

  async pendingCount(): Promise<number> {
    return this.dataSource.getRepository(Comment).count({ where: { status: 'pending' } });
  }

  /** A person's signed-in comments with their posts' titles, oldest first. */
  async ofUser(m: EntityManager, userId: string): Promise<OwnCommentRow[]> {
    return (await m.query(
      `SELECT p.title AS post, c.author_name AS name, c.body, c.status, c.created_at
       FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.user_id = $1 ORDER BY c.created_at`,
      [userId],
    )) as OwnCommentRow[];
  }

  async deleteOfUser(m: EntityManager, userId: string): Promise<void> {
    await m.delete(Comment, { userId });
  }
}
