import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { CheckoutLinks } from './checkout-return-link';
import { notFound } from '../common/errors';
import { Payment } from './payment.entity';
import { PaymentFulfilment } from './payment-fulfilment.service';
import { PaymentView, toPaymentView } from './payment-view';
import { PaymentsRepository } from './payments.repository';
import { requireStripe, STRIPE } from './stripe-client';
import {
  describeStripeFailure,
  isPaidSession,
  isUuid,
  sessionPaymentIntentId,
} from './stripe-objects';

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
export class CheckoutReturnsService {
  private readonly logger = new Logger(CheckoutReturnsService.name);

  constructor(
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    private readonly links: CheckoutLinks,
    private readonly payments: PaymentsRepository,
    private readonly fulfilment: PaymentFulfilment,
    private readonly clock: Clock,
  ) {}

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
      ? await this.payments.find({ checkoutSessionId: ref.sessionId })
      : ref.paymentId &&
          isUuid(ref.paymentId) &&
          this.links.isReturnToken(ref.paymentId, ref.returnToken)
        ? await this.payments.find({ id: ref.paymentId })
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
    await this.fulfilment.settle({ id: payment.id }, async (manager, locked) => {
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
    const due = await this.payments.pendingExpired(new Date(now), RECONCILE_GRACE_MS);
    for (const payment of due) {
      const abandoned = payment.expiresAt.getTime() < now - GIVE_UP_MS;
      if (this.stripe && !payment.testMode && payment.checkoutSessionId && !abandoned) {
        await this.syncFromStripe(this.stripe, payment);
        continue;
      }
      await this.fulfilment.settle({ id: payment.id }, async (manager, locked) => {
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
    await this.settleTestPayment(paymentId, async (manager, payment) => {
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
    await this.settleTestPayment(paymentId, (manager, payment) =>
      this.fulfilment.markFailed(manager, payment, 'expired', 'cancelled at checkout'),
    );
    return this.view(paymentId);
  }

  /** The payer gave up at checkout: expire the Stripe session (so it can't be paid) and release the hold. */
  async abandon(paymentId: string): Promise<PaymentView> {
    const payment = isUuid(paymentId) ? await this.payments.find({ id: paymentId }) : null;
    if (!payment) throw notFound('This payment');
    if (payment.status !== 'pending') return this.view(payment.id);
    if (payment.testMode) return this.testModeCancel(payment.id);
    const stripe = requireStripe(this.stripe);
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
    await this.fulfilment.settle({ id: payment.id }, async (manager, locked) => {
      if (locked)
        await this.fulfilment.markFailed(manager, locked, 'expired', 'abandoned at checkout');
    });
    return this.view(payment.id);
  }

  async testCheckout(paymentId: string): Promise<PaymentView> {
    const payment = isUuid(paymentId)
      ? await this.payments.find({ id: paymentId, testMode: true })
      : null;
    if (!payment || !this.testMode) throw notFound('This test checkout');
    return toPaymentView(payment, this.clock.now());
  }

  /** `payment=…&return=…` for a return page of this payment. */
  returnQuery(paymentId: string): string {
    return this.links.returnQuery(paymentId);
  }

  async view(paymentId: string): Promise<PaymentView> {
    const payment = await this.payments.find({ id: paymentId });
    if (!payment) throw notFound('This payment');
    return toPaymentView(payment, this.clock.now());
  }

  /** Local test mode's Pay and Cancel: a test payment, locked, or 404. */
  private async settleTestPayment(
    paymentId: string,
    change: (manager: EntityManager, payment: Payment) => Promise<unknown>,
  ): Promise<void> {
    if (!this.testMode || !isUuid(paymentId)) throw notFound('This test checkout');
    await this.fulfilment.settle({ id: paymentId, testMode: true }, async (manager, payment) => {
      if (!payment) throw notFound('This test checkout');
      await change(manager, payment);
    });
  }
}
