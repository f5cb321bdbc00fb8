import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SubscriberStatus = 'pending' | 'confirmed' | 'unsubscribed';

/**
 * A newsletter subscriber (double opt-in). Only the hash of the confirmation token is stored; the
 * unsubscribe token is an HMAC of the id, so it needs no storage and is the same in every mail.
 */
@Entity('newsletter_subscribers')
@Index('UQ_newsletter_subscribers_email', ['email'], { unique: true })
@Index('UQ_newsletter_subscribers_confirm_token', ['confirmTokenHash'], { unique: true })
@Index('IDX_newsletter_subscribers_status', ['status', 'confirmedAt'])
@Check('CHK_newsletter_subscribers_status', `"status" IN ('pending', 'confirmed', 'unsubscribed')`)
export class NewsletterSubscriber {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', default: 'pending' })
  status: SubscriberStatus;

  @Column({ name: 'confirm_token_hash', type: 'text', nullable: true })
  confirmTokenHash: string | null;

  @Column({ name: 'confirm_expires_at', type: 'timestamptz', nullable: true })
  confirmExpiresAt: Date | null;

  /** When the last confirmation mail went out (re-sent at most every 15 minutes). */
  @Column({ name: 'confirm_sent_at', type: 'timestamptz', nullable: true })
  confirmSentAt: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'unsubscribed_at', type: 'timestamptz', nullable: true })
  unsubscribedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
