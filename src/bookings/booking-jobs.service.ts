import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { JobsService } from '../jobs/jobs.service';
import { BookingMails } from './booking-mails';
import { BookingSupport } from './booking-support';
import { Booking } from './booking.entity';
import { BookingsRepository } from './bookings.repository';

export const REMINDER_QUEUE = 'booking-reminders';
export const HOLD_SWEEP_QUEUE = 'booking-hold-sweep';
const DAY = 86_400_000;

/** Reminders 24 h ahead (claimed once, whatever the number of instances) and the hold sweep. */
@Injectable()
export class BookingJobsService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly support: BookingSupport,
    private readonly mails: BookingMails,
    private readonly clock: Clock,
    private readonly bookings: BookingsRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register(REMINDER_QUEUE, () => this.sendDueReminders().then(() => undefined), {
      retryLimit: 2,
      retryDelay: 30,
    });
    this.jobs.register(HOLD_SWEEP_QUEUE, () => this.expireHolds().then(() => undefined), {
      retryLimit: 2,
      retryDelay: 30,
    });
    this.jobs.schedule(REMINDER_QUEUE, '* * * * *');
    this.jobs.schedule(HOLD_SWEEP_QUEUE, '* * * * *');
  }

  /**
   * Claims confirmed bookings starting within 24 h whose reminder is unsent (booked more than a day
   * ahead), marks them and enqueues the mails in one transaction. Returns how many were claimed.
   */
  async sendDueReminders(): Promise<number> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const ids = await this.bookings.claimDueReminders(m, now, new Date(now.getTime() + DAY));
      for (const id of ids) {
        const b = await m.findOneByOrFail(Booking, { id });
        await this.mails.reminder(m, b, await this.support.context(b, m));
      }
      return ids.length;
    });
  }

  /** Expires every hold past its time (the booking transaction also releases the ones in its way). */
  async expireHolds(): Promise<number> {
    return this.bookings.expireAllHolds(this.clock.now());
  }
}
