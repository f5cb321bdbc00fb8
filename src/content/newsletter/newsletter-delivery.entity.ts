import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Post } from '../posts/post.entity';
import { NewsletterSubscriber } from './subscriber.entity';

/**
 * One post mailed to one subscriber. The unique key makes "exactly once" hold across retries,
 * crashes, re-publishing and concurrent batch jobs: a delivery row and its outbox mail are written
 * in one transaction.
 */
@Entity('newsletter_deliveries')
@Index('UQ_newsletter_deliveries_post_subscriber', ['postId', 'subscriberId'], { unique: true })
@Index('IDX_newsletter_deliveries_subscriber', ['subscriberId'])
export class NewsletterDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'post_id', type: 'uuid' })
  postId: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column({ name: 'subscriber_id', type: 'uuid' })
  subscriberId: string;

  @ManyToOne(() => NewsletterSubscriber, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscriber_id' })
  subscriber?: NewsletterSubscriber;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
