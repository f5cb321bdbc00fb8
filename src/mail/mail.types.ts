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

/**
 * A mail stored as its kind and parameters (JSON), written by the renderer registered for its
 * kind when it is delivered, after the transaction that caused it has committed: the hot path
 * (booking creation) does no rendering, and the parameters are a snapshot taken in that
 * transaction, so what the mail says does not depend on when it is sent.
 */
export interface MailToRender {
  kind: string;
  /** The recipient, when known at once; otherwise the renderer gives it (`RenderedMail.to`). */
  to: string | null;
  params: object;
  lane?: MailLane;
}

/** What a renderer makes of a MailToRender's parameters. */
export interface RenderedMail {
  to?: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: OutboxAttachment[];
}

/**
 * Renders the mails of one kind, many at once (one lookup of shared context for a batch). Returns
 * one result per parameter object, in order; throwing fails the batch's attempt (retried later).
 */
export interface MailRenderer {
  render(params: unknown[]): Promise<RenderedMail[]>;
}
