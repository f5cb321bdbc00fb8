import { DataSource } from 'typeorm';
import { AccountsService } from '../../src/accounts/accounts.service';
import { BookingChangesService } from '../../src/bookings/booking-changes.service';
import { BookingMails } from '../../src/bookings/booking-mails';
import { BookingPayableHandler } from '../../src/bookings/booking-payable.handler';
import { BookingSupport } from '../../src/bookings/booking-support';
import { BookingsService } from '../../src/bookings/bookings.service';
import { Clock } from '../../src/common/clock';
import { DomainError } from '../../src/common/errors';
import { RateLimitService } from '../../src/common/rate-limit/rate-limit.service';
import {
  PaymentSummary,
  CheckoutRequest,
  CheckoutResult,
  PayableHandler,
  PayableKind,
  PaymentsPort,
  RefundSummary,
} from '../../src/payments/payable';
import { SchedulingService } from '../../src/scheduling/scheduling.service';
import { BookingsRepository } from '../../src/bookings/bookings.repository';
import { BookingConfirmation } from '../../src/bookings/booking-confirmation';
import { IdempotencyKeysRepository } from '../../src/bookings/idempotency-keys.repository';
import { startTestApp, TestApp } from '../support/app';
import { bookingBody, dayFromNow, openSlots, setUpCoach } from '../support/scheduling';

jest.setTimeout(60_000);

/** A stand-in for the payments module, recording what bookings ask of it. */
class FakePayments implements PaymentsPort {
  checkouts: CheckoutRequest[] = [];
  refunds: { kind: PayableKind; referenceId: string; reason: string }[] = [];
  handlers = new Map<PayableKind, PayableHandler>();
  failNext = false;
  registerHandler(kind: PayableKind, handler: PayableHandler): void {
    this.handlers.set(kind, handler);
  }
  async createCheckout(request: CheckoutRequest): Promise<CheckoutResult> {
    if (this.failNext) {
      this.failNext = false;
      throw new DomainError('PAYMENT_PROVIDER_ERROR', 'Stripe is down');
    }
    this.checkouts.push(request);
    return {
      paymentId: `pay_${this.checkouts.length}`,
      checkoutUrl: `https://checkout.example/${request.referenceId}`,
    };
  }
  async requestRefund(
    _m: unknown,
    kind: PayableKind,
    referenceId: string,
    reason: string,
  ): Promise<RefundSummary> {
    this.refunds.push({ kind, referenceId, reason });
    return { status: 'pending', amount: 9500, currency: 'usd' };
  }
  async listForCustomer(): Promise<PaymentSummary[]> {
    return [];
  }
  async anonymiseCustomer(): Promise<number> {
    return 0;
  }
}

/**
 * Paid bookings through a payments port (the payments module isn't part of this branch): the
 * services are wired by hand with a fake port, against the real database.
 */
describe('paid bookings through the payments port', () => {
  let t: TestApp;
  let payments: FakePayments;
  let bookings: BookingsService;
  let changes: BookingChangesService;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '100000' }, workers: false });
    await setUpCoach(t, 'paid-session', {
      durationMinutes: 50,
      price: 9500,
      bufferAfterMinutes: 10,
    });
    payments = new FakePayments();
    const get = <T>(c: abstract new (...args: never[]) => T): T => t.app.get(c);
    bookings = new BookingsService(
      get(DataSource),
      get(SchedulingService),
      get(AccountsService),
      get(BookingSupport),
      get(BookingConfirmation),
      get(RateLimitService),
      get(Clock),
      get(BookingPayableHandler),
      payments,
      t.config,
      get(BookingsRepository),
      get(IdempotencyKeysRepository),
    );
    bookings.onModuleInit();
    changes = new BookingChangesService(
      get(DataSource),
      get(SchedulingService),
      get(BookingSupport),
      get(BookingsRepository),
      get(BookingMails),
      get(Clock),
      payments,
    );
  });
  afterAll(async () => t?.close());

  it('holds the slot as pending_payment for 35 minutes and hands back the checkout URL', async () => {
    expect(payments.handlers.get('booking')).toBe(t.app.get(BookingPayableHandler));
    const [slot] = await openSlots(t, 'paid-session', dayFromNow(4));
    const before = Date.now();
    const { status, body } = await bookings.create(
      bookingBody('paid-session', slot.start, 'payer@example.com'),
      undefined,
      '127.0.0.1',
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({
      status: 'pending_payment',
      price: 9500,
      currency: 'usd',
      checkoutUrl: `https://checkout.example/${body.id}`,
    });
    const hold = Date.parse(body.holdExpiresAt!);
    expect(hold - before).toBeGreaterThanOrEqual(35 * 60_000 - 1000);
    expect(hold - before).toBeLessThanOrEqual(35 * 60_000 + 5000);
    const request = payments.checkouts.at(-1)!;
    expect(request).toMatchObject({
      kind: 'booking',
      referenceId: body.id,
      amount: 9500,
      currency: 'usd',
      customerEmail: 'payer@example.com',
    });
    expect(request.expiresAt.toISOString()).toBe(body.holdExpiresAt);
    expect(request.successPath).toMatch(/^\/bookings\/manage\?token=/);
    // The held slot is not offered to anyone else, and no confirmation went out yet.
    expect((await openSlots(t, 'paid-session', dayFromNow(4))).map((s) => s.start)).not.toContain(
      slot.start,
    );
    const [{ c }] = await t.dataSource.query(
      `SELECT count(*)::int AS c FROM mail_outbox WHERE to_address = 'payer@example.com'`,
    );
    expect(c).toBe(0);
  });

  it('releases the hold when the checkout cannot be created', async () => {
    const [, slot] = await openSlots(t, 'paid-session', dayFromNow(4));
    payments.failNext = true;
    await expect(
      bookings.create(
        bookingBody('paid-session', slot.start, 'unlucky@example.com'),
        'k-fail',
        '127.0.0.1',
      ),
    ).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_ERROR' });
    const [row] = await t.dataSource.query(
      `SELECT status FROM bookings WHERE client_email = 'unlucky@example.com'`,
    );
    expect(row.status).toBe('expired');
    expect((await openSlots(t, 'paid-session', dayFromNow(4))).map((s) => s.start)).toContain(
      slot.start,
    );
    // The key is free again: a retry with it works.
    const retry = await bookings.create(
      bookingBody('paid-session', slot.start, 'unlucky@example.com'),
      'k-fail',
      '127.0.0.1',
    );
    expect(retry.body.status).toBe('pending_payment');
  });

  async function paidBooking(
    email: string,
    day: number,
  ): Promise<{ id: string; token: string; start: string }> {
    const [slot] = await openSlots(t, 'paid-session', dayFromNow(day));
    const { body } = await bookings.create(
      bookingBody('paid-session', slot.start, email),
      undefined,
      '127.0.0.1',
    );
    await t.dataSource.transaction((m) =>
      t.app.get(BookingPayableHandler).onPaid(m, body.id, 'pay'),
    );
    return {
      id: body.id,
      token: new URL(body.manageUrl!).searchParams.get('token')!,
      start: slot.start,
    };
  }

  it('refunds a client who cancels in time; not one who cancels late; always when the coach cancels', async () => {
    const early = await paidBooking('early@example.com', 5);
    const result = await changes.cancel(early.id, { viewer: null, token: early.token });
    expect(result).toEqual({
      status: 'cancelled',
      refund: { status: 'pending', amount: 9500, currency: 'usd' },
    });
    expect(payments.refunds.at(-1)).toMatchObject({ kind: 'booking', referenceId: early.id });

    const late = await paidBooking('late@example.com', 6);
    const refundsBefore = payments.refunds.length;
    t.app.get(Clock).advance(Date.parse(late.start) - Date.now() - 2 * 3_600_000);
    try {
      const lateResult = await changes.cancel(late.id, { viewer: null, token: late.token });
      expect(lateResult.refund).toEqual({ status: 'none', amount: 0, currency: null });
      expect(payments.refunds.length).toBe(refundsBefore);
      const byCoach = await paidBooking('coach-cancel@example.com', 7);
      const coachUser = await t.app.get(AccountsService).coach();
      const coachResult = await changes.cancel(byCoach.id, { viewer: coachUser });
      expect(coachResult.refund.status).toBe('pending');
    } finally {
      t.app.get(Clock).reset();
    }
  });

  it('keeps the payment when a paid session is rescheduled', async () => {
    const b = await paidBooking('mover@example.com', 8);
    const target = (await openSlots(t, 'paid-session', dayFromNow(9)))[0];
    const refundsBefore = payments.refunds.length;
    const moved = await changes.reschedule(b.id, { viewer: null, token: b.token }, target.start);
    expect(moved).toMatchObject({ status: 'confirmed', start: target.start, price: 9500 });
    expect(payments.refunds.length).toBe(refundsBefore);
  });
});
