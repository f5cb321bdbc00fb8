import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource, EntityManager, LessThan, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { LinkSigner } from '../common/crypto/link-signer';
import { checkoutReturnQuery, isCheckoutReturnToken } from './checkout-return-link';
import { notFound } from '../common/errors';
import { JobsService } from '../jobs/jobs.service';
import { Payment } from './payment.entity';
import { PaymentFulfilment } from './payment-fulfilment.service';
import { PaymentView, toPaymentView } from './payment-view';
import { STRIPE } from './stripe-client';
import {
  describeStripeFailure,
  isPaidSession,
  isUuid,
  sessionPaymentIntentId,
} from './stripe-objects';

export const RECONCILE_QUEUE = 'payments-reconcile';
/** How long after a checkout's expiry Mend asks Stripe itself, in case a webhook was lost. */
const RECONCILE_GRACE_MS = 10 * 60_000;
/** A checkout still unsettled a day after its expiry is given up on without asking again. */
const GIVE_UP_MS = 24 * 3600_000;

/**
 * Everything after the payer leaves for checkout, other than the webhook: the success and cancel
 * returns, giving up at checkout, local test mode's Pay / Cancel, and the sweep that settles
 * checkouts whose outcome never arrived. All of it goes through PaymentFulfilment, like the webhook.
 */
@Injectable()
export class CheckoutReturnsService implements OnModuleInit {
  private readonly logger = new Logger(CheckoutReturnsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly fulfilment: PaymentFulfilment,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly signer: LinkSigner,
    @Inject(STRIPE) private readonly stripe: Stripe | null,
  ) {}

  onModuleInit(): void {
    this.jobs.register<object>(RECONCILE_QUEUE, () => this.reconcile().then(() => undefined), {
      retryLimit: 0,
    });
    this.jobs.schedule(RECONCILE_QUEUE, '* * * * *');
  }

  /** Local test mode: no Stripe secret key (refused in production by the config). */
  get testMode(): boolean {
    return this.stripe === null;
  }

  /**
   * The success-page return: with Stripe, re-fetches the session and fulfils if it is paid (the
   * webhook may not have arrived yet); in test mode, reads the payment.
   */
  async checkoutReturn(ref: {
    sessionId?: string;
    paymentId?: string;
    returnToken?: string;
  }): Promise<PaymentView> {
    // Stripe's session id, or the payment id with the token Mend signed into its return address.
    const payment = ref.sessionId
      ? await this.payments.findOneBy({ checkoutSessionId: ref.sessionId })
      : ref.paymentId &&
          isUuid(ref.paymentId) &&
          isCheckoutReturnToken(this.signer, ref.paymentId, ref.returnToken)
        ? await this.payments.findOneBy({ id: ref.paymentId })
        : null;
    if (!payment) throw notFound('This payment');
    // Only an open question is worth asking Stripe: a pending payment, or (from Stripe's own
    // success redirect) one we had given up on that may have been paid late.
    const unsettled =
      payment.status === 'pending' ||
      (ref.sessionId !== undefined &&
        (payment.status === 'expired' || payment.status === 'failed'));
    if (this.stripe && payment.checkoutSessionId && unsettled) {
      await this.syncFromStripe(this.stripe, payment);
    }
    return this.view(payment.id);
  }

  /** Asks Stripe for the session's truth and applies it (a paid session fulfils; an expired one releases). */
  private async syncFromStripe(stripe: Stripe, payment: Payment): Promise<void> {
    if (!payment.checkoutSessionId) return;
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.retrieve(payment.checkoutSessionId);
    } catch (e) {
      this.logger.warn(
        { paymentId: payment.id, reason: describeStripeFailure(e) },
        'could not re-fetch the checkout session',
      );
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.fulfilment.lock(manager, { id: payment.id });
      if (!locked) return;
      if (isPaidSession(session))
        await this.fulfilment.markPaid(manager, locked, sessionPaymentIntentId(session));
      else if (session.status === 'expired')
        await this.fulfilment.markFailed(manager, locked, 'expired', 'checkout expired');
    });
  }

  /** Finds checkouts whose outcome never arrived (a lost webhook, or test mode's expiry) and settles them. */
  async reconcile(): Promise<number> {
    const now = this.clock.now().getTime();
    const due = await this.payments.find({
      where: [
        { status: 'pending', testMode: true, expiresAt: LessThan(new Date(now)) },
        {
          status: 'pending',
          testMode: false,
          expiresAt: LessThan(new Date(now - RECONCILE_GRACE_MS)),
        },
      ],
      order: { expiresAt: 'ASC' },
      take: 50,
    });
    for (const payment of due) {
      const abandoned = payment.expiresAt.getTime() < now - GIVE_UP_MS;
      if (this.stripe && !payment.testMode && payment.checkoutSessionId && !abandoned) {
        await this.syncFromStripe(this.stripe, payment);
        continue;
      }
      await this.dataSource.transaction(async (manager) => {
        const locked = await this.fulfilment.lock(manager, { id: payment.id });
        if (locked)
          await this.fulfilment.markFailed(
            manager,
            locked,
            'expired',
            locked.checkoutSessionId || locked.testMode
              ? 'checkout expired'
              : 'checkout never created',
          );
      });
    }
    return due.length;
  }

  /** Local test mode: Pay runs the same fulfilment as a verified `checkout.session.completed`. */
  async testModePay(paymentId: string): Promise<PaymentView> {
    await this.dataSource.transaction(async (manager) => {
      const payment = await this.lockTestPayment(manager, paymentId);
      if (
        payment.status === 'pending' &&
        payment.expiresAt.getTime() <= this.clock.now().getTime()
      ) {
        await this.fulfilment.markFailed(manager, payment, 'expired', 'checkout expired');
        return;
      }
      await this.fulfilment.markPaid(manager, payment, null);
    });
    return this.view(paymentId);
  }

  /** Local test mode: Cancel runs the expiry path (the hold is released). */
  async testModeCancel(paymentId: string): Promise<PaymentView> {
    await this.dataSource.transaction(async (manager) => {
      const payment = await this.lockTestPayment(manager, paymentId);
      await this.fulfilment.markFailed(manager, payment, 'expired', 'cancelled at checkout');
    });
    return this.view(paymentId);
  }

  /** The payer gave up at checkout: expire the Stripe session (so it can't be paid) and release the hold. */
  async abandon(paymentId: string): Promise<PaymentView> {
    const payment = isUuid(paymentId) ? await this.payments.findOneBy({ id: paymentId }) : null;
    if (!payment) throw notFound('This payment');
    if (payment.status !== 'pending') return this.view(payment.id);
    if (payment.testMode) return this.testModeCancel(payment.id);
    const stripe = this.requireStripe();
    if (payment.checkoutSessionId) {
      try {
        await stripe.checkout.sessions.expire(
          payment.checkoutSessionId,
          {},
          { idempotencyKey: `expire-${payment.id}` },
        );
      } catch (e) {
        // Already complete or expired: whatever Stripe says now is the truth.
        this.logger.warn(
          { paymentId: payment.id, reason: describeStripeFailure(e) },
          'could not expire the checkout session',
        );
        await this.syncFromStripe(stripe, payment);
        return this.view(payment.id);
      }
    }
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.fulfilment.lock(manager, { id: payment.id });
      if (locked)
        await this.fulfilment.markFailed(manager, locked, 'expired', 'abandoned at checkout');
    });
    return this.view(payment.id);
  }

  async testCheckout(paymentId: string): Promise<PaymentView> {
    const payment = isUuid(paymentId)
      ? await this.payments.findOneBy({ id: paymentId, testMode: true })
      : null;
    if (!payment || !this.testMode) throw notFound('This test checkout');
    return toPaymentView(payment, this.clock.now());
  }

  /** `payment=…&return=…` for a return page of this payment. */
  returnQuery(paymentId: string): string {
    return checkoutReturnQuery(this.signer, paymentId);
  }

  async view(paymentId: string): Promise<PaymentView> {
    const payment = await this.payments.findOneBy({ id: paymentId });
    if (!payment) throw notFound('This payment');
    return toPaymentView(payment, this.clock.now());
  }

  private async lockTestPayment(manager: EntityManager, paymentId: string): Promise<Payment> {
    const payment =
      this.testMode && isUuid(paymentId)
        ? await this.fulfilment.lock(manager, { id: paymentId, testMode: true })
        : null;
    if (!payment) throw notFound('This test checkout');
    return payment;
  }

  private requireStripe(): Stripe {
    if (!this.stripe) throw new Error('Stripe is not configured (local test mode)');
    return this.stripe;
  }
}
