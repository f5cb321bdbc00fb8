import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../../accounts/user.entity';
import { Post } from '../posts/post.entity';

export type CommentStatus = 'pending' | 'approved' | 'rejected';

/** A reader's comment: plain text (never HTML), held for moderation unless the coach wrote it. */
@Entity('comments')
@Index('IDX_comments_post_status', ['postId', 'status', 'createdAt'])
@Index('IDX_comments_status', ['status', 'createdAt'])
@Check('CHK_comments_status', `"status" IN ('pending', 'approved', 'rejected')`)
@Check('CHK_comments_body_length', `char_length("body") BETWEEN 1 AND 5000`)
@Check('CHK_comments_name_length', `char_length("author_name") BETWEEN 1 AND 100`)
export class Comment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'author_name', type: 'text' })
  authorName: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', default: 'pending' })
  status: CommentStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'moderated_at', type: 'timestamptz', nullable: true })
  moderatedAt: Date | null;
}
