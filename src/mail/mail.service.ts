import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ComposedStatement } from '../database/composed-statement';
import { JobsService } from '../jobs/jobs.service';
import { MAIL_LOOP, MailOutboxRepository } from './mail-outbox.repository';
import { MailRenderers } from './mail-renderers';
import { MailMessage, MailRenderer, MailToRender } from './mail.types';
import { OutboxMail } from './outbox-mail.entity';

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

/** Mail is written to the outbox inside the transaction that causes it; MailDelivery sends it after commit. */
@Injectable()
export class MailService {
  constructor(
    private readonly outboxRows: MailOutboxRepository,
    @InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>,
    private readonly renderers: MailRenderers,
    private readonly jobs: JobsService,
  ) {}

  /** How mails of `kind` stored with parameters are written when delivered (at module init). */
  registerRenderer(kind: string, renderer: MailRenderer): void {
    this.renderers.register(kind, renderer);
  }

  /** Writes mail into the outbox inside the caller's transaction; it is sent only if that commits. */
  async enqueue(manager: EntityManager, message: MailMessage): Promise<string> {
    return this.outboxRows.insert(manager, message);
  }

  /**
   * Writes mails to render at delivery (their kind's registered renderer writes them after commit)
   * into the outbox inside the caller's transaction, all in one statement; sent only if it commits.
   * For the hot path: no NOTIFY in the transaction, so call `deliverSoon()` after the commit (the
   * delivery poll finds the mail anyway).
   */
  async enqueueToRender(manager: EntityManager, mails: MailToRender[]): Promise<string[]> {
    return this.outboxRows.insertToRender(manager, mails);
  }

  /**
   * The same as part of a statement another module composes (database/composed-statement.ts):
   * the mails are written only when the CTE `after` has a row, each one's params merged with the
   * jsonb SQL expression `extraParams`. Call `deliverSoon()` once the statement has committed.
   */
  enqueueToRenderInStatement(
    s: ComposedStatement,
    mails: MailToRender[],
    after: string,
    extraParams?: string,
  ): string[] {
    return this.outboxRows.insertToRenderCte(s, mails, after, extraParams);
  }

  /** After a commit that enqueued mail: wakes delivery here at once, elsewhere soon (coalesced). */
  deliverSoon(): void {
    this.jobs.nudge(MAIL_LOOP);
  }

  /**
   * Account erasure, inside the caller's transaction: deletes the copies of mail already handled
   * (sent, kept or failed) that went to this address or mention it (e.g. the coach's booking
   * notices). Mail still pending (e.g. the erasure's own confirmation, queued in the same
   * transaction) is delivered as usual.
   */
  async forgetRecipient(manager: EntityManager, address: string): Promise<void> {
    await this.outboxRows.deleteHandledMentioning(manager, address);
  }

  async list(limit = 100): Promise<OutboxView[]> {
    const rows = await this.outbox.find({ order: { createdAt: 'DESC' }, take: limit });
    return rows.map((m) => ({
      id: m.id,
      kind: m.kind,
      to: m.to,
      // Stored to be rendered at delivery and not rendered yet.
      subject: m.params ? `(${m.kind}: written when it is sent)` : m.subject,
      text: m.text,
      status: m.status,
      attempts: m.attempts,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
    }));
  }
}
