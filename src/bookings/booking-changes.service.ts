import { validationFailed } from '../common/validation';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { formatMoney } from '../common/money';
import { PAYMENTS, PaymentsPort, RefundSummary } from '../payments/payable';
import { SchedulingService } from '../scheduling/scheduling.service';
import { busyRange } from '../scheduling/slots';
import { BookingMails } from './booking-mails';
import { BookingAccess, BookingSupport } from './booking-support';
import { pgCode } from '../database/pg-code';
import { Booking } from './booking.entity';
import { BookingOutDto, CancelResultDto } from './dto/booking.dto';
import { Actor, refundDue, withinNotice } from './policy';
import { BookingsRepository } from './bookings.repository';

const NO_REFUND: RefundSummary = { status: 'none', amount: 0, currency: null };
const HOUR = 3_600_000;

/** What the visitor holding a manage link may still do, and whom to write to otherwise. */
export interface ChangeOptions {
  /** Confirmed and outside the notice window: it can be moved or cancelled online. */
  canChange: boolean;
  noticeHours: number;
  /** Cancelling now refunds this much in full (0 for a free session or none due). */
  refundOnCancel: { due: boolean; amountText: string | null };
  coachName: string;
  coachEmail: string;
}

/** Cancelling and rescheduling: each one transaction, with mails to both sides. */
@Injectable()
export class BookingChangesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduling: SchedulingService,
    private readonly support: BookingSupport,
    private readonly bookings: BookingsRepository,
    private readonly mails: BookingMails,
    private readonly clock: Clock,
    @Optional() @Inject(PAYMENTS) private readonly payments: PaymentsPort | null,
  ) {}

  /** What the manage page may offer for a booking (by its manage token), by the same rules as cancel and reschedule. */
  async changeOptions(token: string): Promise<ChangeOptions> {
    const b = await this.support.byToken(this.dataSource.manager, token);
    const now = this.clock.now();
    const ctx = await this.support.context(b);
    // The same setting cancel and reschedule read.
    const noticeHours = (await this.scheduling.settings(b.coachId)).cancellationNoticeHours;
    const canChange =
      b.status === 'confirmed' && withinNotice('client', b.startAt, now, noticeHours);
    const due = canChange && b.price > 0 && refundDue('client', b.startAt, now, noticeHours);
    return {
      canChange,
      noticeHours,
      refundOnCancel: { due, amountText: due ? formatMoney(b.price, b.currency) : null },
      coachName: ctx.coachName,
      coachEmail: ctx.coachEmail,
    };
  }

  /**
   * Times a booking may move to: the offered slots (the slot engine's own rules) that also lie
   * outside the notice window, so a move never lands where it could no longer be changed.
   */
  movableSlots<T extends { start: string }>(slots: T[], noticeHours: number): T[] {
    const earliest = this.clock.now().getTime() + noticeHours * HOUR;
    return slots.filter((s) => Date.parse(s.start) >= earliest);
  }

  async cancel(id: string, access: BookingAccess, reason?: string): Promise<CancelResultDto> {
    return this.dataSource.transaction(async (m) => {
      const { booking, actor } = await this.support.load(m, id, access, true);
      return this.cancelLoaded(m, booking, actor, reason);
    });
  }

  /**
   * Cancels a booking already loaded (and locked) inside the caller's transaction: refund per
   * policy, a rising SEQUENCE, mails to both sides. Also used when an account is deleted.
   */
  async cancelLoaded(
    m: EntityManager,
    b: Booking,
    actor: Actor,
    reason?: string,
  ): Promise<CancelResultDto> {
    if (b.status === 'cancelled') return { status: 'cancelled' as const, refund: NO_REFUND };
    if (b.status === 'expired')
      throw new DomainError(
        'CONFLICT',
        'This booking was never completed, so there is nothing to cancel.',
      );
    const now = this.clock.now();
    const settings = await this.scheduling.settings(b.coachId, m);
    const wasConfirmed = b.status === 'confirmed';
    let refund = NO_REFUND;
    if (
      wasConfirmed &&
      b.price > 0 &&
      this.payments &&
      refundDue(actor, b.startAt, now, settings.cancellationNoticeHours)
    ) {
      refund = await this.payments.requestRefund(
        m,
        'booking',
        b.id,
        actor === 'coach' ? 'cancelled by the coach' : 'cancelled by the client in time',
      );
    }
    b.status = 'cancelled';
    b.cancelledAt = now;
    b.cancelReason = reason?.trim() || null;
    b.sequence += 1;
    await m.update(
      Booking,
      { id: b.id },
      { status: b.status, cancelledAt: now, cancelReason: b.cancelReason, sequence: b.sequence },
    );
    if (wasConfirmed) {
      const refundText =
        refund.status === 'none'
          ? b.price > 0
            ? 'This cancellation is inside the notice period, so it is not refunded automatically; write to your coach if you need to.'
            : ''
          : `${formatMoney(refund.amount, refund.currency ?? b.currency)} will be refunded to your card; it can take a few days to show.`;
      await this.mails.cancelled(m, b, await this.support.context(b, m), refundText);
    }
    return { status: 'cancelled' as const, refund };
  }

  async reschedule(id: string, access: BookingAccess, startIso: string): Promise<BookingOutDto> {
    const start = new Date(startIso);
    // Pages pass the form's text through: an unreadable time never reaches a query.
    if (Number.isNaN(start.getTime()))
      throw validationFailed({ start: ['start must be an ISO 8601 instant'] });
    // Authorise before saying anything about slots (a stranger learns nothing).
    const { booking: before } = await this.support.load(this.dataSource.manager, id, access);
    const type = await this.scheduling.sessionTypeById(before.sessionTypeId);
    if (!(await this.scheduling.isOffered(type, start, false))) {
      throw new DomainError(
        'SLOT_UNAVAILABLE',
        'That time is not one of the offered times. Please pick a time from the list.',
      );
    }
    try {
      return await this.dataSource.transaction(async (m) => {
        const { booking: b, actor } = await this.support.load(m, id, access, true);
        if (b.status !== 'confirmed')
          throw new DomainError('CONFLICT', 'Only a confirmed booking can be rescheduled.');
        const now = this.clock.now();
        const settings = await this.scheduling.settings(b.coachId, m);
        if (!withinNotice(actor, b.startAt, now, settings.cancellationNoticeHours)) {
          throw new DomainError(
            'TOO_LATE_TO_RESCHEDULE',
            `Sessions can be moved online up to ${settings.cancellationNoticeHours} hours before they start. Please write to your coach.`,
          );
        }
        const previousStart = b.startAt;
        const end = new Date(start.getTime() + type.durationMinutes * 60_000);
        const busy = busyRange(start.getTime(), end.getTime(), type);
        await this.bookings.releaseExpiredHolds(
          m,
          b.coachId,
          new Date(busy.start),
          new Date(busy.end),
          now,
        );
        await this.support.checkDailyLimit(m, b.coachId, start, now, b.id);
        b.startAt = start;
        b.endAt = end;
        b.busyStart = new Date(busy.start);
        b.busyEnd = new Date(busy.end);
        b.sequence += 1;
        b.reminderSentAt = null;
        await m.update(
          Booking,
          { id: b.id },
          {
            startAt: b.startAt,
            endAt: b.endAt,
            busyStart: b.busyStart,
            busyEnd: b.busyEnd,
            sequence: b.sequence,
            reminderSentAt: null,
          },
        );
        await this.mails.rescheduled(m, b, await this.support.context(b, m), previousStart);
        return this.support.toDto(
          b,
          type,
          access.token ? { manageUrl: this.support.manageUrl(b.id) } : {},
        );
      });
    } catch (e) {
      if (pgCode(e) === '23P01')
        throw new DomainError(
          'SLOT_TAKEN',
          'Someone booked that time a moment ago. Please pick another time.',
        );
      throw e;
    }
  }
}
