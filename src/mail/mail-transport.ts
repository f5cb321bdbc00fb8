import { createTransport, Transporter } from 'nodemailer';
import { MailMessage } from './mail.types';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** What the outbox worker sends through; null when MAIL_URL is not set (mail is kept). */
export interface MailTransport {
  send(from: string, message: MailMessage): Promise<void>;
}

export function smtpTransport(url: string): MailTransport {
  const transporter: Transporter = createTransport(url, {});
  return {
    async send(from, m) {
      await transporter.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: m.headers,
        attachments: m.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      });
    },
  };
}
