import fc from 'fast-check';
import { stripeExpiresAt } from './stripe-objects';
import {
  isLatePayment,
  moneyReceived,
  nextStatus,
  PAYMENT_STATUSES,
  PaymentSignal,
  PaymentStatus,
} from './payment-state';

const SIGNALS: PaymentSignal[] = ['paid', 'failed', 'expired', 'refund_requested', 'refunded'];

function run(signals: PaymentSignal[]): PaymentStatus[] {
  const seen: PaymentStatus[] = ['pending'];
  let status: PaymentStatus = 'pending';
  for (const s of signals) {
    status = nextStatus(status, s) ?? status;
    seen.push(status);
  }
  return seen;
}

describe('payment state machine', () => {
  it('pays a pending payment and ignores a second paid signal', () => {
    expect(nextStatus('pending', 'paid')).toBe('succeeded');
    expect(nextStatus('succeeded', 'paid')).toBeNull();
  });

  it('never lets an expiry or failure undo a received payment', () => {
    for (const s of ['succeeded', 'refund_pending', 'refunded'] as const) {
      expect(nextStatus(s, 'expired')).toBeNull();
      expect(nextStatus(s, 'failed')).toBeNull();
    }
  });

  it('records a payment that arrives after the checkout expired (a late payment)', () => {
    expect(nextStatus('expired', 'paid')).toBe('succeeded');
    expect(isLatePayment('expired')).toBe(true);
    expect(isLatePayment('pending')).toBe(false);
  });

  it('refunds only what was paid, once', () => {
    expect(nextStatus('pending', 'refund_requested')).toBeNull();
    expect(nextStatus('succeeded', 'refund_requested')).toBe('refund_pending');
    expect(nextStatus('refund_pending', 'refund_requested')).toBeNull();
    expect(nextStatus('refund_pending', 'refunded')).toBe('refunded');
    expect(nextStatus('succeeded', 'refunded')).toBe('refunded');
    expect(nextStatus('refunded', 'refunded')).toBeNull();
    expect(nextStatus('expired', 'refunded')).toBeNull();
  });

  it('reopens a refund only when Stripe reports it failed, and lets the coach retry it', () => {
    expect(nextStatus('refunded', 'refund_failed')).toBe('refund_failed');
    expect(nextStatus('refund_pending', 'refund_failed')).toBe('refund_failed');
    expect(nextStatus('pending', 'refund_failed')).toBeNull();
    expect(nextStatus('expired', 'refund_failed')).toBeNull();
    expect(nextStatus('refund_failed', 'refund_failed')).toBeNull();
    expect(nextStatus('refund_failed', 'refund_requested')).toBe('refund_pending');
    expect(nextStatus('refund_failed', 'refunded')).toBe('refunded');
    expect(moneyReceived('refund_failed')).toBe(true);
    for (const s of ['expired', 'failed', 'paid'] as const)
      expect(nextStatus('refund_failed', s)).toBeNull();
  });

  it('property: whatever the order or repetition of signals, money received is never un-received and a refund is final', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SIGNALS), { maxLength: 30 }), (signals) => {
        const seen = run(signals);
        const firstMoney = seen.findIndex(moneyReceived);
        if (firstMoney >= 0) expect(seen.slice(firstMoney).every(moneyReceived)).toBe(true);
        const firstRefund = seen.indexOf('refunded');
        if (firstRefund >= 0)
          expect(seen.slice(firstRefund).every((s) => s === 'refunded')).toBe(true);
        // Every status reached is a known one.
        expect(seen.every((s) => PAYMENT_STATUSES.includes(s))).toBe(true);
      }),
    );
  });

  it('property: applying a signal twice changes nothing the second time (idempotent)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PAYMENT_STATUSES),
        fc.constantFrom(...SIGNALS, 'refund_failed' as const),
        (status, signal) => {
          const once = nextStatus(status, signal) ?? status;
          const twice = nextStatus(once, signal) ?? once;
          expect(twice).toBe(once);
        },
      ),
    );
  });
});

describe('stripeExpiresAt', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it('is the hold when Stripe accepts it, else the nearest time it accepts', () => {
    const hold = new Date('2026-12-01T12:35:00Z');
    expect(stripeExpiresAt(hold, now)).toBe(hold.getTime() / 1000);
    expect(stripeExpiresAt(new Date('2026-12-01T12:10:00Z'), now)).toBe(
      Date.parse('2026-12-01T12:31:00Z') / 1000,
    );
    expect(stripeExpiresAt(new Date('2026-12-03T12:00:00Z'), now)).toBe(
      Date.parse('2026-12-02T11:55:00Z') / 1000,
    );
  });
});
