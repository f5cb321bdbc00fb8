import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'sent' | 'kept' | 'failed';
/** Transactional mail (accounts, bookings, payments, program) always goes before bulk (newsletters). */
export type MailLane = 'transactional' | 'bulk';

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  /** UTF-8 text content (e.g. an .ics invite). */
  content: string;
}

/**
 * The transactional outbox: a mail row is written in the same transaction as the change that
 * causes it, and a job delivers it after commit. Bodies hold links with tokens, so they are never
 * logged.
 */
@Entity('mail_outbox')
@Index('IDX_mail_outbox_created', ['createdAt'])
@Index('IDX_mail_outbox_due', ['lane', 'nextAttemptAt'], { where: `status = 'pending'` })
@Index('IDX_mail_outbox_bulk_claimed', ['claimedAt'], { where: `lane = 'bulk'` })
@Check('CHK_mail_outbox_lane', `lane IN ('transactional', 'bulk')`)
export class OutboxMail {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** What the mail is (e.g. `password_reset`), for the outbox page and the logs. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'to_address', type: 'text' })
  to: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  headers: Record<string, string>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments: OutboxAttachment[];

  /**
   * A mail stored to be rendered at delivery (MailToRender): its parameters, until the renderer of
   * its kind has written subject, text and attachments (then NULL).
   */
  @Column({ type: 'jsonb', nullable: true })
  params: Record<string, unknown> | null;

  @Column({ type: 'text', default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'text', default: 'transactional' })
  lane: MailLane;

  /** Delivery attempts started (counted when claimed, so a crash mid-send counts too). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Not tried again before this (retry backoff). */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /**
   * The worker (JobsService.workerId) sending it right now. The claim is committed before the SMTP
   * conversation starts (no transaction or lock is held meanwhile); it lapses when that worker's
   * connection is gone (the process died) or at `claim_expires_at`.
   */
  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'claim_expires_at', type: 'timestamptz', nullable: true })
  claimExpiresAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
