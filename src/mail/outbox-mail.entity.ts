import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'sent' | 'kept' | 'failed';

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

  @Column({ type: 'text', default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
