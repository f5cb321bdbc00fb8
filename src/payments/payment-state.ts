/**
 * The payment state machine. It never goes backwards: once money has moved (succeeded), no
 * expiry or failure signal can undo it; a refund is terminal, unless Stripe reports that the
 * refund itself failed (the money came back to the practice: `refund_failed`, from which the coach
 * can retry). Pure, so it is tested directly.
 */
export type PaymentStatus =
  'pending' | 'succeeded' | 'failed' | 'expired' | 'refund_pending' | 'refunded' | 'refund_failed';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'pending',
  'succeeded',
  'failed',
  'expired',
  'refund_pending',
  'refunded',
  'refund_failed',
];

/** What can happen to a payment, whatever its source (webhook, success return, test mode, job). */
export type PaymentSignal =
  'paid' | 'failed' | 'expired' | 'refund_requested' | 'refunded' | 'refund_failed';

/** The next status for a signal, or null when the signal changes nothing (duplicate, late, out of order). */
export function nextStatus(current: PaymentStatus, signal: PaymentSignal): PaymentStatus | null {
  switch (signal) {
    case 'paid':
      // A payment after the checkout expired or failed is still money received: it is recorded,
      // and what was paid for decides whether it can be honoured (else it is refunded).
      return current === 'pending' || current === 'failed' || current === 'expired'
        ? 'succeeded'
        : null;
    case 'failed':
      return current === 'pending' ? 'failed' : null;
    case 'expired':
      return current === 'pending' ? 'expired' : null;
    case 'refund_requested':
      // A failed refund can be tried again (the coach's retry).
      return current === 'succeeded' || current === 'refund_failed' ? 'refund_pending' : null;
    case 'refunded':
      return current === 'succeeded' || current === 'refund_pending' || current === 'refund_failed'
        ? 'refunded'
        : null;
    case 'refund_failed':
      // Stripe reports a refund failed (possibly after first reporting it succeeded).
      return current === 'succeeded' || current === 'refund_pending' || current === 'refunded'
        ? 'refund_failed'
        : null;
  }
}

/** A payment that arrives after its checkout was given up on. */
export function isLatePayment(current: PaymentStatus): boolean {
  return current === 'failed' || current === 'expired';
}

/** Money was received (and may since have been refunded). */
export function moneyReceived(status: PaymentStatus): boolean {
  return (
    status === 'succeeded' ||
    status === 'refund_pending' ||
    status === 'refunded' ||
    status === 'refund_failed'
  );
}
