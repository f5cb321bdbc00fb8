import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PaidOutcome, PayableHandler } from '../payments/payable';
import { BookingMails } from './booking-mails';
import { BookingSupport, pgCode } from './booking-support';
import { Booking } from './booking.entity';

/**
 * What a payment means for a booking. Each method runs inside the payments transaction that
 * records the Stripe event, and is idempotent.
 */
@Injectable()
export class BookingPayableHandler implements PayableHandler {
  constructor(
    private readonly support: BookingSupport,
    private readonly mails: BookingMails,
  ) {}

  async onPaid(m: EntityManager, referenceId: string, _paymentId?: string): Promise<PaidOutcome> {
    const b = await m.findOne(Booking, {
      where: { id: referenceId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!b) return 'refund';
    if (b.status === 'confirmed') return 'fulfilled';
    if (b.status === 'cancelled') return 'refund';
    // pending_payment (even past its hold) or expired: confirm if the slot is still free.
    await m.query('SAVEPOINT booking_paid');
    try {
      await m.query(
        `UPDATE bookings SET status = 'confirmed', hold_expires_at = NULL, updated_at = now() WHERE id = $1`,
        [b.id],
      );
      await m.query('RELEASE SAVEPOINT booking_paid');
    } catch (e) {
      if (pgCode(e) !== '23P01') throw e;
      await m.query('ROLLBACK TO SAVEPOINT booking_paid');
      await m.update(Booking, { id: b.id }, { status: 'expired' });
      await this.mails.paidTooLate(m, b, await this.support.context(b, m));
      return 'refund';
    }
    b.status = 'confirmed';
    b.holdExpiresAt = null;
    await this.mails.confirmed(m, b, await this.support.context(b, m));
    return 'fulfilled';
  }

  async onPaymentFailed(m: EntityManager, referenceId: string, _paymentId?: string): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'pending_payment'`,
      [referenceId],
    );
  }

  async onRefunded(m: EntityManager, referenceId: string, _paymentId?: string): Promise<void> {
    await m.query(
      `UPDATE bookings SET status = 'cancelled', cancelled_at = COALESCE(cancelled_at, now()), sequence = sequence + 1, updated_at = now()
       WHERE id = $1 AND status IN ('confirmed', 'pending_payment')`,
      [referenceId],
    );
  }
}
