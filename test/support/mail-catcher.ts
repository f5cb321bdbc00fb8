import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  headers: Map<string, unknown>;
  attachments: { filename?: string; contentType: string; content: string }[];
  raw: string;
}

/** A real SMTP server on loopback that keeps what it receives, for the tests to read. */
export class MailCatcher {
  readonly mails: CaughtMail[] = [];
  private server: SMTPServer | null = null;
  private waiters: (() => void)[] = [];
  /** Set to make the server refuse mail (to test retries). */
  refuse = false;
  /**
   * Keeps each mail (it counts as received) but answers the sender only this much later, like a
   * slow server: a sender that dies meanwhile never learns it was delivered.
   */
  acceptDelayMs = 0;
  port = 0;

  /** Starts listening (again, on the same port when given: a server coming back after an outage). */
  async start(port = 0): Promise<string> {
    this.server = new SMTPServer({
      // Going down closes open connections after 200 ms (the default grace is 30 s).
      closeTimeout: 200,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) return callback(new Error('451 try again later'));
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              const to = parsed.to
                ? (Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((a) =>
                    a.value.map((v) => v.address ?? ''),
                  )
                : [];
              this.mails.push({
                to,
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                headers: parsed.headers,
                attachments: parsed.attachments.map((a) => ({
                  filename: a.filename,
                  contentType: a.contentType,
                  content: a.content.toString('utf8'),
                })),
                raw,
              });
              const w = this.waiters;
              this.waiters = [];
              w.forEach((f) => f());
              if (this.acceptDelayMs > 0) setTimeout(() => callback(), this.acceptDelayMs);
              else callback();
            })
            .catch((e: Error) => callback(e));
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits until a mail matching `predicate` arrives (or fails after `timeoutMs`). */
  async waitFor(predicate: (m: CaughtMail) => boolean, timeoutMs = 15_000): Promise<CaughtMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mails.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `No matching mail within ${timeoutMs} ms; got: ${this.mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ') || 'none'}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  to(address: string): CaughtMail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Pulls the first URL under `path` out of a mail's text. */
export function linkIn(mail: CaughtMail, path: string): string {
  const m = new RegExp(`https?://[^\\s]*${path.replace(/[/?]/g, (c) => '\\' + c)}[^\\s]*`).exec(
    mail.text,
  );
  if (!m) throw new Error(`No ${path} link in mail "${mail.subject}"`);
  return m[0];
}
