import { createTransport, Transporter } from 'nodemailer';
import { MailMessage } from './mail.types';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

export interface SendOptions {
  /** The same for every attempt at one outbox row, so a repeated delivery can be recognised. */
  messageId: string;
}

/** What the outbox worker sends through; null when MAIL_URL is not set (mail is kept). */
export interface MailTransport {
  send(from: string, message: MailMessage, options: SendOptions): Promise<void>;
  close(): void;
}

/**
 * SMTP through a pool of reused connections (one per send in flight), with timeouts well inside
 * the outbox claim, so a hung server fails the attempt instead of holding the mail.
 */
export function smtpTransport(url: string, maxConnections: number): MailTransport {
  const transporter: Transporter = createTransport({
    url,
    pool: true,
    maxConnections,
    maxMessages: 500,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send(from, m, options) {
      await transporter.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers,
        messageId: options.messageId,
        attachments: m.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    },
    close() {
      transporter.close();
    },
  };
}
