import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { Clock } from '../common/clock';
import { formatDate } from '../common/dates';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import { MailService } from '../mail/mail.service';
import { PayableHandler, PayableKind } from './payable';
import { Payment } from './payment.entity';
import { formatMoney } from '../common/money';
import { isLatePayment, nextStatus } from './payment-state';
import { PaymentsRepository } from './payments.repository';

export const REFUND_QUEUE = 'payments-refund';

export interface RefundJob {
  paymentId: string;
}

export type PaidResult = 'fulfilled' | 'refund' | 'unchanged';

/** Stripe's refund `failure_reason` codes, in words for the coach. */
export function refundFailureInWords(code: string): string {
  switch (code) {
    case 'charge_for_pending_refund_disputed':
      return 'the client disputed the charge while the refund was pending';
    case 'declined':
      return 'the client’s bank declined the refund';
    case 'expired_or_canceled_card':
      return 'the card has expired or was cancelled';
    case 'insufficient_funds':
      return 'there was not enough money in your Stripe balance';
    case 'lost_or_stolen_card':
      return 'the card was reported lost or stolen';
    case 'merchant_request':
      return 'the refund was cancelled on request';
    default:
      return 'Stripe did not say more';
  }
}

/** The idempotency key of a payment's refund attempt (the first keeps the original form). */
export function refundIdempotencyKey(paymentId: string, attempt: number): string {
  return attempt === 0 ? `refund-${paymentId}` : `refund-${paymentId}-attempt-${attempt}`;
}

/**
 * The one place where a payment's state changes and what was paid for is told about it. Every
 * path — the Stripe webhook, the success-page return, local test mode, the reconciliation sweep,
 * the refund job — calls these methods inside a transaction holding the payment row's lock, and
 * the state machine (payment-state.ts) makes each of them idempotent.
 */
@Injectable()
export class PaymentFulfilment {
  private readonly logger = new Logger(PaymentFulfilment.name);
  private readonly handlers = new Map<PayableKind, PayableHandler>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly jobs: JobsService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  registerHandler(kind: PayableKind, handler: PayableHandler): void {
    this.handlers.set(kind, handler);
  }

  private handler(kind: PayableKind): PayableHandler {
    const handler = this.handlers.get(kind);
    // No handler means the feature is not part of this app: fail loudly so the event is retried.
    if (!handler) throw new Error(`No payment handler is registered for "${kind}"`);
    return handler;
  }

  /** Loads and locks one payment row for the rest of the transaction. */
  lock(manager: EntityManager, where: FindOptionsWhere<Payment>): Promise<Payment | null> {
    return this.payments.lock(manager, where);
  }

  /**
   * One change to one payment in its own transaction: locks the row and hands it over (null
   * when there is no such payment) to one of the methods below.
   */
  settle<T>(
    where: FindOptionsWhere<Payment>,
    change: (manager: EntityManager, payment: Payment | null) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) =>
      change(manager, await this.payments.lock(manager, where)),
    );
  }

  /**
   * Money was received (a verified event, a re-fetched paid session, or test-mode Pay). Records
   * it, tells the handler, and refunds automatically when the handler can no longer honour it.
   */
  async markPaid(
    manager: EntityManager,
    payment: Payment,
    paymentIntentId: string | null,
  ): Promise<PaidResult> {
    if (paymentIntentId && !payment.paymentIntentId) payment.paymentIntentId = paymentIntentId;
    const next = nextStatus(payment.status, 'paid');
    if (!next) {
      await this.payments.save(manager, payment);
      return 'unchanged';
    }
    const late = isLatePayment(payment.status);
    payment.status = next;
    payment.paidAt = this.clock.now();
    await this.payments.save(manager, payment);
    const outcome = await this.handler(payment.kind).onPaid(
      manager,
      payment.referenceId,
      payment.id,
    );
    this.logger.log(
      { paymentId: payment.id, kind: payment.kind, late, outcome },
      'payment succeeded',
    );
    if (outcome === 'refund') {
      await this.startRefund(
        manager,
        payment,
        late ? 'paid_after_hold_lapsed' : 'could_not_fulfil',
      );
      return 'refund';
    }
    await this.mailReceipt(manager, payment);
    return 'fulfilled';
  }

  /** The checkout expired, was abandoned, or its (async) payment failed: release what was held. */
  async markFailed(
    manager: EntityManager,
    payment: Payment,
    signal: 'failed' | 'expired',
    reason: string,
  ): Promise<boolean> {
    const next = nextStatus(payment.status, signal);
    if (!next) return false;
    payment.status = next;
    payment.failureReason = reason;
    await this.payments.save(manager, payment);
    await this.handler(payment.kind).onPaymentFailed(manager, payment.referenceId, payment.id);
    this.logger.log(
      { paymentId: payment.id, kind: payment.kind, status: next },
      'payment did not complete',
    );
    return true;
  }

  /**
   * A refund happened (ours, or one made in the Stripe dashboard). A partial refund is recorded;
   * a full one makes the payment `refunded` and tells the handler once.
   */
  async markRefunded(
    manager: EntityManager,
    payment: Payment,
    refundedAmount: number,
    refundIds: string[],
  ): Promise<boolean> {
    const known = new Set(payment.refundIds);
    payment.refundIds = [...payment.refundIds, ...refundIds.filter((id) => !known.has(id))];
    payment.refundedAmount = Math.min(
      payment.amount,
      Math.max(payment.refundedAmount, refundedAmount),
    );
    const next =
      payment.refundedAmount >= payment.amount ? nextStatus(payment.status, 'refunded') : null;
    if (!next) {
      await this.payments.save(manager, payment);
      return false;
    }
    payment.status = next;
    payment.refundedAt = this.clock.now();
    await this.payments.save(manager, payment);
    await this.handler(payment.kind).onRefunded(manager, payment.referenceId, payment.id);
    this.logger.log({ paymentId: payment.id, kind: payment.kind }, 'payment refunded');
    return true;
  }

  /**
   * Stripe reports one of this payment's refunds failed (e.g. the card was closed): the money is
   * back with the practice. The payment shows `refund_failed` with Stripe's reason, and the coach
   * is told by mail so that she can retry. Each failed refund counts once.
   */
  async markRefundFailed(
    manager: EntityManager,
    payment: Payment,
    refund: { id: string; amount: number; failureReason: string },
  ): Promise<boolean> {
    if (payment.failedRefundIds.includes(refund.id)) return false;
    const next = nextStatus(payment.status, 'refund_failed');
    if (!next) return false;
    payment.failedRefundIds = [...payment.failedRefundIds, refund.id];
    // Stripe lowers the charge's amount_refunded by the failed refund; so do we.
    if (payment.refundIds.includes(refund.id) || payment.status === 'refunded')
      payment.refundedAmount = Math.max(0, payment.refundedAmount - refund.amount);
    payment.status = next;
    payment.refundedAt = null;
    payment.refundFailureReason = refund.failureReason.slice(0, 100);
    payment.refundFailedAt = this.clock.now();
    await this.payments.save(manager, payment);
    await this.mail.enqueue(manager, {
      kind: 'payment_refund_failed',
      to: this.config.coach.email,
      subject: `A refund did not go through: ${formatMoney(payment.amount, payment.currency)}`,
      text: [
        `A refund of ${formatMoney(refund.amount, payment.currency)} for “${payment.description}” did not go through.`,
        '',
        `Stripe's reason: ${refundFailureInWords(refund.failureReason)} (${payment.refundFailureReason}).`,
        '',
        'The money is back in your Stripe balance. You can try the refund again from the payments page',
        '(for example after the client has given you new card details through Stripe), or settle it with',
        'the client another way:',
        `${this.config.publicUrl}/coach/payments`,
        '',
        `Reference: ${payment.id}`,
      ].join('\n'),
    });
    this.logger.warn(
      { paymentId: payment.id, refundId: refund.id, reason: payment.refundFailureReason },
      'refund failed',
    );
    return true;
  }

  /** Marks a received payment for a full refund and queues the Stripe call (after commit). */
  async startRefund(manager: EntityManager, payment: Payment, reason: string): Promise<boolean> {
    const next = nextStatus(payment.status, 'refund_requested');
    if (!next) return false;
    // A retry after a failed refund is a new attempt: the refund job uses a new idempotency key.
    if (payment.status === 'refund_failed') payment.refundAttempt += 1;
    payment.status = next;
    payment.refundReason = reason;
    await this.payments.save(manager, payment);
    const job: RefundJob = { paymentId: payment.id };
    await this.jobs.sendInTransaction(manager, REFUND_QUEUE, job);
    return true;
  }

  private async mailReceipt(manager: EntityManager, payment: Payment): Promise<void> {
    if (!payment.customerEmail) return;
    const amount = formatMoney(payment.amount, payment.currency);
    // The date only: payments doesn't know the payer's zone, and a UTC clock time reads as wrong
    // (what was bought, e.g. a session's time in the client's zone, is in the description).
    const paidOn = formatDate(payment.paidAt ?? this.clock.now(), 'UTC');
    await this.mail.enqueue(manager, {
      kind: 'payment_receipt',
      to: payment.customerEmail,
      subject: `Your receipt from Mend: ${amount}`,
      text: [
        'Thank you. This is your receipt.',
        '',
        `For: ${payment.description}`,
        `Amount: ${amount}`,
        `Paid on: ${paidOn}`,
        `Reference: ${payment.id}`,
        payment.testMode ? '\nThis was paid in local test mode: no money moved.' : '',
        '',
        `${this.config.publicUrl}${payment.successPath}`,
      ].join('\n'),
    });
  }
}
