import Stripe from 'stripe';

/** The PaymentIntent id of a session, whether Stripe sent it as an id or expanded. */
export function sessionPaymentIntentId(session: Stripe.Checkout.Session): string | null {
  const pi = session.payment_intent;
  if (pi === null) return null;
  return typeof pi === 'string' ? pi : pi.id;
}

export function chargePaymentIntentId(charge: Stripe.Charge): string | null {
  const pi = charge.payment_intent;
  if (pi === null) return null;
  return typeof pi === 'string' ? pi : pi.id;
}

export function refundPaymentIntentId(refund: Stripe.Refund): string | null {
  const pi = refund.payment_intent;
  if (pi === null) return null;
  return typeof pi === 'string' ? pi : pi.id;
}

/** Money has been received for this session (not merely "completed" with an async method pending). */
export function isPaidSession(session: Stripe.Checkout.Session): boolean {
  return session.payment_status === 'paid' || session.payment_status === 'no_payment_required';
}

/** Our payment id, from the session's metadata. */
export function sessionPaymentId(session: Stripe.Checkout.Session): string | null {
  return session.metadata?.paymentId ?? null;
}

/** A short, log-safe reason (never a request body or a key). */
export function describeStripeFailure(e: unknown): string {
  if (e instanceof Stripe.errors.StripeError)
    return `${e.type}${e.statusCode ? ` ${e.statusCode}` : ''}: ${e.message}`.slice(0, 300);
  return e instanceof Error ? e.message.slice(0, 300) : 'unknown error';
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/**
 * The session's `expires_at` in seconds: the hold, kept inside what Stripe accepts (30 minutes to
 * 24 hours from now). A session that outlives a slightly shorter hold is safe: a payment after the
 * hold is a late payment, confirmed if still possible and refunded otherwise.
 */
export function stripeExpiresAt(hold: Date, now: Date): number {
  const min = now.getTime() + 31 * 60_000;
  const max = now.getTime() + 23 * 3600_000 + 55 * 60_000;
  return Math.floor(Math.min(max, Math.max(min, hold.getTime())) / 1000);
}
