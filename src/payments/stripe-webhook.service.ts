import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Payment } from './payment.entity';
import { PaymentsRepository } from './payments.repository';
import { PaymentFulfilment } from './payment-fulfilment.service';
import { STRIPE } from './stripe-client';
import {
  chargePaymentIntentId,
  isPaidSession,
  isUuid,
  refundPaymentIntentId,
  sessionPaymentId,
  sessionPaymentIntentId,
} from './stripe-objects';

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

const HANDLED = new Set<string>([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.refund.updated',
]);

/**
 * Turns verified Stripe events into payment state changes. Each event id is recorded in the same
 * transaction as its effect, so a redelivered or concurrently delivered event changes nothing
 * twice; and the payment state machine ignores events that arrive out of order.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly fulfilment: PaymentFulfilment,
    @Inject(STRIPE) private readonly stripe: Stripe | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Verifies the signature over the exact bytes received (400 when missing, wrong or stale). */
  verify(rawBody: Buffer | undefined, signature: string | string[] | undefined): Stripe.Event {
    const secret = this.config.stripe.webhookSecret;
    if (!this.stripe || !secret)
      throw new DomainError('BAD_REQUEST', 'Stripe webhooks are not configured (local test mode).');
    if (typeof signature !== 'string' || !signature)
      throw new DomainError('BAD_REQUEST', 'The Stripe-Signature header is missing.');
    if (!rawBody) throw new DomainError('BAD_REQUEST', 'The request body is missing.');
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature, secret);
    } catch {
      throw new DomainError(
        'BAD_REQUEST',
        'The Stripe signature is not valid for this body, or it is too old.',
      );
    }
  }

  async handle(event: Stripe.Event): Promise<WebhookOutcome> {
    if (!HANDLED.has(event.type)) {
      this.logger.log(
        { eventId: event.id, type: event.type },
        'Stripe event type not handled; acknowledged',
      );
      return 'ignored';
    }
    // Network calls (re-fetching from Stripe) happen before the transaction, never inside it.
    const refetched = await this.refetchIfNeeded(event);
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (!(await this.payments.recordEvent(manager, event.id, event.type)))
        return 'duplicate' as const;
      await this.apply(manager, event, refetched);
      return 'processed' as const;
    });
    this.logger.log({ eventId: event.id, type: event.type, outcome }, 'Stripe event');
    return outcome;
  }

  /** When the payload alone is not enough, asks Stripe for the current object. */
  private async refetchIfNeeded(event: Stripe.Event): Promise<Stripe.Checkout.Session | null> {
    const stripe = this.stripe;
    if (!stripe) return null;
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const session = event.data.object;
        // A paid session without its PaymentIntent can't be refunded later: fetch the full one.
        if (
          (isPaidSession(session) || event.type === 'checkout.session.async_payment_succeeded') &&
          !sessionPaymentIntentId(session)
        ) {
          return stripe.checkout.sessions.retrieve(session.id);
        }
        return null;
      }
      case 'charge.refunded': {
        const pi = chargePaymentIntentId(event.data.object);
        if (!pi) return null;
        if (await this.payments.existsWithPaymentIntent(pi)) return null;
        // We have not seen this PaymentIntent yet: find its Checkout Session.
        const list = await stripe.checkout.sessions.list({ payment_intent: pi, limit: 1 });
        return list.data[0] ?? null;
      }
      default:
        return null;
    }
  }

  private async apply(
    manager: EntityManager,
    event: Stripe.Event,
    refetched: Stripe.Checkout.Session | null,
  ): Promise<void> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const session = refetched ?? event.data.object;
        const payment = await this.paymentForSession(manager, session);
        if (!payment) return;
        if (event.type === 'checkout.session.async_payment_succeeded' || isPaidSession(session)) {
          await this.fulfilment.markPaid(manager, payment, sessionPaymentIntentId(session));
        } else {
          // Completed, but an asynchronous method (e.g. a bank debit) is still settling: wait for its event.
          const pi = sessionPaymentIntentId(session);
          if (pi && !payment.paymentIntentId)
            await this.payments.setCheckout(payment.id, { paymentIntentId: pi }, manager);
        }
        return;
      }
      case 'checkout.session.async_payment_failed': {
        const payment = await this.paymentForSession(manager, event.data.object);
        if (payment)
          await this.fulfilment.markFailed(
            manager,
            payment,
            'failed',
            'asynchronous payment failed',
          );
        return;
      }
      case 'checkout.session.expired': {
        const payment = await this.paymentForSession(manager, event.data.object);
        if (payment)
          await this.fulfilment.markFailed(manager, payment, 'expired', 'checkout expired');
        return;
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const pi = chargePaymentIntentId(charge);
        let payment = pi ? await this.fulfilment.lock(manager, { paymentIntentId: pi }) : null;
        if (!payment && refetched && pi) {
          payment = await this.paymentForSession(manager, refetched);
          if (payment && !payment.paymentIntentId) payment.paymentIntentId = pi;
          if (payment && payment.status !== 'succeeded' && payment.status !== 'refund_pending') {
            // The payment's own completion has not been processed yet: ask Stripe to deliver this again later.
            throw new DomainError(
              'SERVICE_UNAVAILABLE',
              'This refund arrived before its payment; please retry.',
            );
          }
        }
        if (!payment) {
          this.logger.warn(
            { eventId: event.id },
            'charge.refunded for a payment Mend does not know; ignored',
          );
          return;
        }
        const refundIds = (charge.refunds?.data ?? []).map((r) => r.id);
        await this.fulfilment.markRefunded(manager, payment, charge.amount_refunded, refundIds);
        return;
      }
      case 'charge.refund.updated': {
        const refund = event.data.object;
        // Only a failure needs anything: a refund that succeeds is recorded by charge.refunded.
        if (refund.status !== 'failed') return;
        const payment = await this.paymentForRefund(manager, refund);
        if (!payment) {
          this.logger.warn(
            { eventId: event.id },
            'charge.refund.updated for a payment Mend does not know; ignored',
          );
          return;
        }
        await this.fulfilment.markRefundFailed(manager, payment, {
          id: refund.id,
          amount: refund.amount,
          failureReason: refund.failure_reason ?? 'unknown',
        });
        return;
      }
      default:
        return;
    }
  }

  /** Our payment for a refund: by the payment id we put in its metadata, else by its PaymentIntent. */
  private async paymentForRefund(
    manager: EntityManager,
    refund: Stripe.Refund,
  ): Promise<Payment | null> {
    const id = refund.metadata?.paymentId;
    const pi = refundPaymentIntentId(refund);
    const byMeta = id && isUuid(id) ? await this.fulfilment.lock(manager, { id }) : null;
    // The metadata is ours only if it agrees with the PaymentIntent (a refund of another charge can't claim our payment).
    if (byMeta && (!pi || !byMeta.paymentIntentId || byMeta.paymentIntentId === pi)) return byMeta;
    return pi ? this.fulfilment.lock(manager, { paymentIntentId: pi }) : null;
  }

  /** Our payment for a session: by session id, else by the payment id we put in its metadata. */
  private async paymentForSession(
    manager: EntityManager,
    session: Stripe.Checkout.Session,
  ): Promise<Payment | null> {
    let payment = await this.fulfilment.lock(manager, { checkoutSessionId: session.id });
    if (!payment) {
      const id = sessionPaymentId(session);
      const byMeta =
        id && /^[0-9a-f-]{36}$/i.test(id) ? await this.fulfilment.lock(manager, { id }) : null;
      // Adopt the session only if the payment has none (its creation timed out after Stripe made it).
      if (byMeta && byMeta.checkoutSessionId === null) {
        byMeta.checkoutSessionId = session.id;
        payment = byMeta;
      }
    }
    if (!payment)
      this.logger.warn(
        { sessionId: session.id },
        'Stripe event for a checkout Mend does not know; ignored',
      );
    return payment;
  }
}
