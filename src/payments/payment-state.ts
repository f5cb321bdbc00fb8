/**
 * The payment state machine. It never goes backwards: once money has moved (succeeded), no
 * expiry or failure signal can undo it; a refund is terminal. Pure, so it is tested directly.
 */
export type PaymentStatus =
  'pending' | 'succeeded' | 'failed' | 'expired' | 'refund_pending' | 'refunded';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'pending',
  'succeeded',
  'failed',
  'expired',
  'refund_pending',
  'refunded',
];

/** What can happen to a payment, whatever its source (webhook, success return, test mode, job). */
export type PaymentSignal = 'paid' | 'failed' | 'expired' | 'refund_requested' | 'refunded';

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
      return current === 'succeeded' ? 'refund_pending' : null;
    case 'refunded':
      return current === 'succeeded' || current === 'refund_pending' ? 'refunded' : null;
  }
}

/** A payment that arrives after its checkout was given up on. */
export function isLatePayment(current: PaymentStatus): boolean {
  return current === 'failed' || current === 'expired';
}

/** Money was received (and may since have been refunded). */
export function moneyReceived(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'refund_pending' || status === 'refunded';
}
