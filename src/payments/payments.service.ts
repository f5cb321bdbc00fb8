import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource, EntityManager, In, IsNull, LessThan, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { LinkSigner } from '../common/crypto/link-signer';
import { checkoutReturnQuery } from './checkout-return-link';
import { DomainError, notFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobsService } from '../jobs/jobs.service';
import {
  CheckoutRequest,
  CheckoutResult,
  PayableHandler,
  PayableKind,
  PaymentsPort,
  PaymentSummary,
  PAYMENT_RECORD_RETENTION_YEARS,
  RefundSummary,
} from './payable';

const RETENTION_QUEUE = 'payments-retention';
import { Payment } from './payment.entity';
import {
  PaymentFulfilment,
  REFUND_QUEUE,
  RefundJob,
  refundIdempotencyKey,
} from './payment-fulfilment.service';
import {
  describeStripeFailure,
  isUuid,
  sessionPaymentIntentId,
  stripeExpiresAt,
} from './stripe-objects';
import { STRIPE } from './stripe-client';
import { PaymentView, toPaymentView } from './payment-view';

/**
 * Mend's payment layer (PaymentsPort): creates checkouts, queues refunds, and answers what the
 * pages and the coach ask. State changes go through PaymentFulfilment.
 */
@Injectable()
export class PaymentsService implements PaymentsPort, OnModuleInit {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly fulfilment: PaymentFulfilment,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly signer: LinkSigner,
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<RefundJob>(REFUND_QUEUE, (job) => this.runRefund(job.paymentId), {
      retryLimit: 12,
      retryDelay: 30,
    });
    this.jobs.register(
      RETENTION_QUEUE,
      async () => {
        const count = await this.deleteExpiredAnonymised();
        if (count) this.logger.log({ count }, 'anonymised payment records past retention deleted');
      },
      { retryLimit: 2, retryDelay: 600 },
    );
    this.jobs.schedule(RETENTION_QUEUE, '17 3 * * *');
  }

  /**
   * Deletes anonymised payment records (no payer email left) older than the retention period,
   * once nothing is still moving on them.
   */
  async deleteExpiredAnonymised(): Promise<number> {
    const cutoff = new Date(this.clock.now());
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - PAYMENT_RECORD_RETENTION_YEARS);
    const result = await this.payments.delete({
      customerEmail: IsNull(),
      createdAt: LessThan(cutoff),
      status: In(['succeeded', 'failed', 'expired', 'refunded']),
    });
    return result.affected ?? 0;
  }

  /** Local test mode: no Stripe secret key (refused in production by the config). */
  get testMode(): boolean {
    return this.stripe === null;
  }

  registerHandler(kind: PayableKind, handler: PayableHandler): void {
    this.fulfilment.registerHandler(kind, handler);
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutResult> {
    if (!Number.isInteger(request.amount) || request.amount <= 0)
      throw new Error('createCheckout: amount must be a positive integer');
    const payment = await this.payments.save(
      this.payments.create({
        kind: request.kind,
        referenceId: request.referenceId,
        amount: request.amount,
        currency: request.currency.toLowerCase(),
        description: request.description,
        customerEmail: request.customerEmail.trim().toLowerCase(),
        status: 'pending',
        testMode: this.testMode,
        successPath: request.successPath,
        cancelPath: request.cancelPath,
        expiresAt: request.expiresAt,
      }),
    );
    if (!this.stripe) {
      const checkoutUrl = `${this.config.publicUrl}/checkout/test/${payment.id}`;
      await this.payments.update({ id: payment.id }, { checkoutUrl });
      return { paymentId: payment.id, checkoutUrl };
    }
    return this.createStripeSession(this.stripe, payment);
  }

  private async createStripeSession(stripe: Stripe, payment: Payment): Promise<CheckoutResult> {
    const metadata = {
      kind: payment.kind,
      referenceId: payment.referenceId,
      paymentId: payment.id,
    };
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      client_reference_id: `${payment.kind}:${payment.referenceId}`,
      metadata,
      payment_intent_data: { metadata },
      customer_email: payment.customerEmail ?? undefined,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: payment.currency,
            unit_amount: payment.amount,
            product_data: { name: payment.description },
          },
        },
      ],
      expires_at: stripeExpiresAt(payment.expiresAt, this.clock.now()),
      success_url: `${this.config.publicUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${this.config.publicUrl}/checkout/cancelled?${checkoutReturnQuery(this.signer, payment.id)}`,
    };
    let session: Stripe.Checkout.Session;
    try {
      // The key is per payment: the SDK's retries, and any retry of this payment, can never make a second session.
      session = await stripe.checkout.sessions.create(params, {
        idempotencyKey: `checkout-${payment.id}`,
      });
    } catch (e) {
      const reason = describeStripeFailure(e);
      await this.payments.update(
        { id: payment.id, status: 'pending' },
        { status: 'failed', failureReason: `checkout not created: ${reason}` },
      );
      this.logger.warn(
        { paymentId: payment.id, reason },
        'Stripe checkout session could not be created',
      );
      throw new DomainError(
        'PAYMENT_PROVIDER_ERROR',
        'We could not start the payment with our payment provider, so nothing was charged. Please try again in a moment.',
      );
    }
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
    await this.payments.update(
      { id: payment.id },
      { checkoutSessionId: session.id, checkoutUrl: session.url },
    );
    return { paymentId: payment.id, checkoutUrl: session.url };
  }

  async requestRefund(
    manager: EntityManager,
    kind: PayableKind,
    referenceId: string,
    reason: string,
  ): Promise<RefundSummary> {
    const payment = await manager.findOne(Payment, {
      where: { kind, referenceId, status: In(['succeeded', 'refund_pending', 'refunded']) },
      order: { createdAt: 'DESC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!payment) return { status: 'none', amount: 0, currency: null };
    if (payment.status === 'refunded')
      return { status: 'succeeded', amount: payment.refundedAmount, currency: payment.currency };
    await this.fulfilment.startRefund(manager, payment, reason.slice(0, 200));
    return {
      status: 'pending',
      amount: payment.amount - payment.refundedAmount,
      currency: payment.currency,
    };
  }

  /**
   * The coach tries a failed refund again: the payment goes back to `refund_pending` and the refund
   * job runs with a new idempotency key (a new attempt at Stripe). 409 unless the refund failed.
   */
  async retryRefund(paymentId: string): Promise<PaymentView> {
    if (!isUuid(paymentId)) throw notFound('Payment');
    return this.dataSource.transaction(async (manager) => {
      const payment = await this.fulfilment.lock(manager, { id: paymentId });
      if (!payment) throw notFound('Payment');
      if (payment.status !== 'refund_failed')
        throw new DomainError('CONFLICT', 'Only a refund that failed can be tried again.');
      await this.fulfilment.startRefund(manager, payment, 'retried by the coach');
      return toPaymentView(payment, this.clock.now());
    });
  }

  /** The refund job: one full refund through Stripe, safe to run again (same idempotency key per attempt). */
  async runRefund(paymentId: string): Promise<void> {
    const payment = await this.payments.findOneBy({ id: paymentId });
    if (!payment || payment.status !== 'refund_pending') return;
    let refundId: string | null = null;
    if (!payment.testMode) {
      const stripe = this.requireStripe();
      let paymentIntent = payment.paymentIntentId;
      if (!paymentIntent && payment.checkoutSessionId) {
        paymentIntent = sessionPaymentIntentId(
          await stripe.checkout.sessions.retrieve(payment.checkoutSessionId),
        );
      }
      if (!paymentIntent)
        throw new Error(
          `Payment ${payment.id} has no PaymentIntent yet; the refund will be retried`,
        );
      try {
        const refund = await stripe.refunds.create(
          {
            payment_intent: paymentIntent,
            reason: 'requested_by_customer',
            metadata: { paymentId: payment.id },
          },
          // A new key per attempt: a retry after a failed refund must make a new refund, not replay the failed one.
          { idempotencyKey: refundIdempotencyKey(payment.id, payment.refundAttempt) },
        );
        if (refund.status === 'failed' || refund.status === 'canceled') {
          const failure = {
            id: refund.id,
            amount: refund.amount,
            failureReason: refund.failure_reason ?? refund.status,
          };
          await this.dataSource.transaction(async (manager) => {
            const locked = await this.fulfilment.lock(manager, { id: paymentId });
            if (locked) await this.fulfilment.markRefundFailed(manager, locked, failure);
          });
          return;
        }
        refundId = refund.id;
      } catch (e) {
        // Refunded meanwhile (e.g. in the dashboard): record it below instead of failing forever.
        if (!(e instanceof Stripe.errors.StripeError && e.code === 'charge_already_refunded'))
          throw e;
      }
    }
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.fulfilment.lock(manager, { id: paymentId });
      if (locked?.status === 'refund_pending')
        await this.fulfilment.markRefunded(
          manager,
          locked,
          locked.amount,
          refundId ? [refundId] : [],
        );
    });
  }

  async listForCustomer(email: string): Promise<PaymentSummary[]> {
    const rows = await this.payments.find({
      where: { customerEmail: email.trim().toLowerCase() },
      order: { createdAt: 'DESC' },
    });
    return rows.map((p) => ({
      id: p.id,
      kind: p.kind,
      referenceId: p.referenceId,
      description: p.description,
      amount: p.amount,
      currency: p.currency,
      status: p.status,
      refundedAmount: p.refundedAmount,
      createdAt: p.createdAt.toISOString(),
      paidAt: p.paidAt ? p.paidAt.toISOString() : null,
    }));
  }

  async anonymiseCustomer(manager: EntityManager, email: string): Promise<number> {
    const result = await manager.update(
      Payment,
      { customerEmail: email.trim().toLowerCase() },
      { customerEmail: null },
    );
    return result.affected ?? 0;
  }

  /** Every payment, newest first, for the coach. */
  async list(limit = 500): Promise<PaymentView[]> {
    const rows = await this.payments.find({ order: { createdAt: 'DESC' }, take: limit });
    const now = this.clock.now();
    return rows.map((p) => toPaymentView(p, now));
  }

  private requireStripe(): Stripe {
    if (!this.stripe) throw new Error('Stripe is not configured (local test mode)');
    return this.stripe;
  }
}
