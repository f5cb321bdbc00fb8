import { MailLane, OutboxAttachment } from './outbox-mail.entity';

export interface MailMessage {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: OutboxAttachment[];
  /** `bulk` for newsletters (paced, after transactional mail); everything else is transactional. */
  lane?: MailLane;
}
