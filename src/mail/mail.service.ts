import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { MAIL_IDENTITY, MailIdentity, signMail } from './mail-identity';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { MailMessage } from './mail.types';
import { OutboxMail } from './outbox-mail.entity';

export const MAIL_QUEUE = 'mail-send';
const MAX_ATTEMPTS = 8;

export interface OutboxView {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
}

@Injectable()
export class MailService implements OnModuleInit {
  private readonly logger = new Logger(MailService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    @InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(MAIL_IDENTITY) private readonly identity: MailIdentity | null = null,
  ) {}

  onModuleInit(): void {
    this.jobs.register<{ outboxId: string }>(MAIL_QUEUE, (data) => this.deliver(data.outboxId), {
      retryLimit: MAX_ATTEMPTS,
      retryDelay: 15,
    });
  }

  /** Writes mail into the outbox inside the caller's transaction; it is sent only if that commits. */
  async enqueue(manager: EntityManager, message: MailMessage): Promise<string> {
    // A plain INSERT: TypeORM's save() machinery was a visible share of a booking's CPU.
    const id = randomUUID();
    await manager.query(
      `INSERT INTO mail_outbox (id, kind, to_address, subject, text, html, headers, attachments, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')`,
      [
        id,
        message.kind,
        message.to,
        message.subject,
        message.text,
        message.html ?? null,
        JSON.stringify(message.headers ?? {}),
        JSON.stringify(message.attachments ?? []),
      ],
    );
    await this.jobs.sendInTransaction(manager, MAIL_QUEUE, { outboxId: id });
    return id;
  }

  /** Sends one outbox mail; safe to call twice (the row lock and status make it once). */
  async deliver(outboxId: string): Promise<void> {
    let failure: Error | null = null;
    await this.dataSource.transaction(async (manager) => {
      const mail = await manager.findOne(OutboxMail, { where: { id: outboxId }, lock: { mode: 'pessimistic_write' } });
      if (!mail || mail.status !== 'pending') return;
      if (!this.transport) {
        mail.status = 'kept';
        await manager.save(mail);
        this.logger.log({ outboxId: mail.id, kind: mail.kind }, 'mail kept in the outbox (no MAIL_URL)');
        return;
      }
      mail.attempts += 1;
      try {
        const from = this.identity ? await this.identity.mailFrom() : this.config.mail.from;
        const signature = this.identity ? await this.identity.mailSignature() : null;
        await this.transport.send(from, {
          kind: mail.kind,
          to: mail.to,
          subject: mail.subject,
          text: signature ? signMail(mail.text, signature) : mail.text,
          html: mail.html ?? undefined,
          headers: mail.headers,
          attachments: mail.attachments,
        });
        mail.status = 'sent';
        mail.sentAt = new Date();
        mail.lastError = null;
        this.logger.log({ outboxId: mail.id, kind: mail.kind }, 'mail sent');
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
        mail.lastError = failure.message.slice(0, 500);
        if (mail.attempts >= MAX_ATTEMPTS + 1) mail.status = 'failed';
        this.logger.warn({ outboxId: mail.id, kind: mail.kind, attempts: mail.attempts, error: mail.lastError }, 'mail delivery failed; will retry');
      }
      await manager.save(mail);
    });
    // Throwing after the commit keeps the attempt count and lets the queue retry with backoff.
    if (failure) throw failure;
  }

  /**
   * Account erasure, inside the caller's transaction: deletes the copies of mail already handled
   * (sent, kept or failed) that went to this address or mention it (e.g. the coach's booking
   * notices). Mail still pending (e.g. the erasure's own confirmation, queued in the same
   * transaction) is delivered as usual.
   */
  async forgetRecipient(manager: EntityManager, address: string): Promise<void> {
    await manager.query(
      `DELETE FROM mail_outbox WHERE status <> 'pending'
         AND (lower(to_address) = lower($1) OR position(lower($1) IN lower(text)) > 0)`,
      [address],
    );
  }

  async list(limit = 100): Promise<OutboxView[]> {
    const rows = await this.outbox.find({ order: { createdAt: 'DESC' }, take: limit });
    return rows.map((m) => ({
      id: m.id, kind: m.kind, to: m.to, subject: m.subject, text: m.text, status: m.status,
      attempts: m.attempts, createdAt: m.createdAt, sentAt: m.sentAt,
    }));
  }
}
