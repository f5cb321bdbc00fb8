import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { CheckoutLinks } from './checkout-return-link';
import { DomainError, notFound } from '../common/errors';
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
import { Payment } from './payment.entity';
import { PaymentsRepository } from './payments.repository';
import { PaymentFulfilment, refundIdempotencyKey } from './payment-fulfilment.service';
import {
  describeStripeFailure,
  isUuid,
  sessionPaymentIntentId,
  stripeExpiresAt,
} from './stripe-objects';
import { requireStripe, STRIPE } from './stripe-client';
import { PaymentView, toPaymentSummary, toPaymentView } from './payment-view';

/**
 * Mend's payment layer (PaymentsPort): creates checkouts, queues refunds, and answers what the
 * pages and the coach ask. State changes go through PaymentFulfilment.
 */
@Injectable()
export class PaymentsService implements PaymentsPort {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly fulfilment: PaymentFulfilment,
    private readonly clock: Clock,
    private readonly links: CheckoutLinks,
    @Inject(STRIPE) private readonly stripe: Stripe | null,
  ) {}

  /**
   * Deletes anonymised payment records (no payer email left) older than the retention period,
   * once nothing is still moving on them.
   */
  async deleteExpiredAnonymised(): Promise<number> {
    const cutoff = new Date(this.clock.now());
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - PAYMENT_RECORD_RETENTION_YEARS);
    const count = await this.payments.deleteSettledAnonymisedBefore(cutoff);
    if (count) this.logger.log({ count }, 'anonymised payment records past retention deleted');
    return count;
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
    const payment = await this.payments.insert({
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
    });
    if (!this.stripe) {
      const checkoutUrl = this.links.testCheckoutUrl(payment.id);
      await this.payments.setCheckout(payment.id, { checkoutUrl });
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
      success_url: this.links.successUrl(),
      cancel_url: this.links.cancelUrl(payment.id),
    };
    let session: Stripe.Checkout.Session;
    try {
      // The key is per payment: the SDK's retries, and any retry of this payment, can never make a second session.
      session = await stripe.checkout.sessions.create(params, {
        idempotencyKey: `checkout-${payment.id}`,
      });
    } catch (e) {
      const reason = describeStripeFailure(e);
      await this.payments.markCheckoutFailed(payment.id, `checkout not created: ${reason}`);
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
    await this.payments.setCheckout(payment.id, {
      checkoutSessionId: session.id,
      checkoutUrl: session.url,
    });
    return { paymentId: payment.id, checkoutUrl: session.url };
  }

  async requestRefund(
    manager: EntityManager,
    kind: PayableKind,
    referenceId: string,
    reason: string,
  ): Promise<RefundSummary> {
    const payment = await this.payments.lockLatestPaid(manager, kind, referenceId);
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
    return this.fulfilment.settle({ id: paymentId }, async (manager, payment) => {
      if (!payment) throw notFound('Payment');
      if (payment.status !== 'refund_failed')
        throw new DomainError('CONFLICT', 'Only a refund that failed can be tried again.');
      await this.fulfilment.startRefund(manager, payment, 'retried by the coach');
      return toPaymentView(payment, this.clock.now());
    });
  }

  /** The refund job: one full refund through Stripe, safe to run again (same idempotency key per attempt). */
  async runRefund(paymentId: string): Promise<void> {
    const payment = await this.payments.find({ id: paymentId });
    if (!payment || payment.status !== 'refund_pending') return;
    let refundId: string | null = null;
    if (!payment.testMode) {
      const stripe = requireStripe(this.stripe);
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
          await this.fulfilment.settle({ id: paymentId }, async (manager, locked) => {
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
    await this.fulfilment.settle({ id: paymentId }, async (manager, locked) => {
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
    const rows = await this.payments.ofCustomer(email.trim().toLowerCase());
    return rows.map(toPaymentSummary);
  }

  async anonymiseCustomer(manager: EntityManager, email: string): Promise<number> {
    return this.payments.anonymiseCustomer(manager, email.trim().toLowerCase());
  }

  /** Every payment, newest first, for the coach. */
  async list(limit = 500): Promise<PaymentView[]> {
    const rows = await this.payments.newest(limit);
    const now = this.clock.now();
    return rows.map((p) => toPaymentView(p, now));
  }
}
