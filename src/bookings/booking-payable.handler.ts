import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PaidOutcome, PayableHandler } from '../payments/payable';
import { BookingMails } from './booking-mails';
import { BookingSupport } from './booking-support';
import { Booking } from './booking.entity';
import { BookingsRepository } from './bookings.repository';

/**
 * What a payment means for a booking. Each method runs inside the payments transaction that
 * records the Stripe event, and is idempotent.
 */
@Injectable()
export class BookingPayableHandler implements PayableHandler {
  constructor(
    private readonly support: BookingSupport,
    private readonly mails: BookingMails,
    private readonly bookings: BookingsRepository,
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
    if (!(await this.bookings.confirmPaidIfFree(m, b.id))) {
      b.status = 'expired';
      await this.mails.paidTooLate(m, b, await this.support.context(b, m));
      return 'refund';
    }
    b.status = 'confirmed';
    b.holdExpiresAt = null;
    await this.mails.confirmed(m, b, await this.support.context(b, m));
    return 'fulfilled';
  }

  async onPaymentFailed(m: EntityManager, referenceId: string, _paymentId?: string): Promise<void> {
    await this.bookings.expireHold(referenceId, m);
  }

  async onRefunded(m: EntityManager, referenceId: string, _paymentId?: string): Promise<void> {
    await this.bookings.cancelRefunded(m, referenceId);
  }
}
