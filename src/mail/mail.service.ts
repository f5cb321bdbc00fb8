import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailMessage } from './mail.types';
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
  ) {}

  /** Writes mail into the outbox inside the caller's transaction; it is sent only if that commits. */
  async enqueue(manager: EntityManager, message: MailMessage): Promise<string> {
    return this.outboxRows.insert(manager, message);
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
      id: m.id,
      kind: m.kind,
      to: m.to,
      subject: m.subject,
      text: m.text,
      status: m.status,
      attempts: m.attempts,
      createdAt: m.createdAt,
      sentAt: m.sentAt,
    }));
  }
}
