import { EntityManager } from 'typeorm';
import type { PaymentStatus } from './payment-state';

/**
 * The contract between the payments module and what can be paid for (a booking, an enrollment).
 * The payments module owns Stripe, the `payments` table, the webhook and the local test mode; the
 * feature modules own what a payment means. Feature modules never touch Stripe directly.
 */
export type PayableKind = 'booking' | 'enrollment';

export interface CheckoutRequest {
  kind: PayableKind;
  /** The booking's or enrollment's id. */
  referenceId: string;
  /** Minor units (e.g. 9500 = $95.00). */
  amount: number;
  currency: string;
  /** Shown on the checkout page, e.g. "Coaching session, 1 Dec 2026 17:00 UTC". */
  description: string;
  customerEmail: string;
  /** When the hold ends; the Checkout Session's `expires_at` (≥ 30 min ahead, ≤ 24 h). */
  expiresAt: Date;
  /** Where to send the payer afterwards (paths on Mend, e.g. `/bookings/manage?token=…`). */
  successPath: string;
  cancelPath: string;
}

export interface CheckoutResult {
  paymentId: string;
  checkoutUrl: string;
}

export type PaidOutcome = 'fulfilled' | 'refund';

/**
 * Implemented by each feature module and registered with PaymentsService.registerHandler(kind, h).
 * Every method runs inside the payments module's transaction (the same one that records the
 * Stripe event id), so an effect happens exactly once; each must be idempotent anyway.
 */
export interface PayableHandler {
  /**
   * The payment succeeded. Return 'fulfilled', or 'refund' when it can no longer be honoured
   * (e.g. the hold expired and the slot was taken meanwhile): payments then refunds it in full.
   * When answering 'refund', tell the payer why (mail in this transaction): payments sends the
   * refund but no mail of its own, so the payer gets one clear message. On 'fulfilled' payments
   * mails a receipt; the handler sends its own confirmation.
   */
  onPaid(manager: EntityManager, referenceId: string, paymentId: string): Promise<PaidOutcome>;
  /** Checkout expired, was abandoned, or an async payment failed: release what was held. */
  onPaymentFailed(manager: EntityManager, referenceId: string, paymentId: string): Promise<void>;
  /**
   * The payment was refunded in full (by Mend or in the Stripe dashboard). Also called when a
   * refund Mend started (requestRefund, or an automatic 'refund') completes, so it must be a no-op
   * for something already cancelled.
   */
  onRefunded(manager: EntityManager, referenceId: string, paymentId: string): Promise<void>;
}

/** What a refund request answers; echoed in e.g. the booking cancellation response. */
export interface RefundSummary {
  status: 'none' | 'pending' | 'succeeded' | 'failed';
  amount: number;
  currency: string | null;
}

/** What every outward form of a payment says (PaymentSummary here, PaymentView for pages). */
export interface PaymentBasics {
  id: string;
  kind: PayableKind;
  referenceId: string;
  description: string;
  /** Minor units. */
  amount: number;
  currency: string;
  status: PaymentStatus;
  refundedAmount: number;
}

/** One payment as other modules may show it (a client's history, a data export). */
export interface PaymentSummary extends PaymentBasics {
  /** ISO 8601 UTC. */
  createdAt: string;
  paidAt: string | null;
}

/**
 * Anonymised payment records (the payer erased their account) are deleted this many years after
 * the payment: long enough for the practice's accounts and taxes. Account deletion states it.
 */
export const PAYMENT_RECORD_RETENTION_YEARS = 7;

/** Injection token for the payments module's service (PaymentsService implements PaymentsPort). */
export const PAYMENTS = Symbol('PAYMENTS');

/**
 * What feature modules may call. Inject with `@Optional() @Inject(PAYMENTS) payments: PaymentsPort | null`
 * (null only while the payments module is not part of the app).
 */
export interface PaymentsPort {
  /** Called once per kind at module init. */
  registerHandler(kind: PayableKind, handler: PayableHandler): void;
  /**
   * Creates the payment row and a Stripe Checkout Session (or, in local test mode, a Mend test
   * checkout page). Call it AFTER the transaction that created the hold has committed. Throws
   * DomainError PAYMENT_PROVIDER_ERROR when Stripe fails (the caller releases its hold).
   */
  createCheckout(request: CheckoutRequest): Promise<CheckoutResult>;
  /**
   * Inside the caller's transaction: marks the reference's succeeded payment for a full refund and
   * enqueues the Stripe refund job (idempotency key per payment). `{status:'none'}` when nothing
   * was paid.
   */
  requestRefund(
    manager: EntityManager,
    kind: PayableKind,
    referenceId: string,
    reason: string,
  ): Promise<RefundSummary>;
  /** Every payment made with this email, newest first (a client's history, GET /api/me/export). */
  listForCustomer(email: string): Promise<PaymentSummary[]>;
  /**
   * Inside the caller's transaction (account deletion): the payment records stay for the books,
   * without the email. Returns how many were anonymised.
   */
  anonymiseCustomer(manager: EntityManager, email: string): Promise<number>;
}
