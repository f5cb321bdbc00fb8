import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { BookingChangesService } from './booking-changes.service';
import { BookingJobsService } from './booking-jobs.service';
import { BookingConfirmation } from './booking-confirmation';
import { BookingMails } from './booking-mails';
import { BookingPayableHandler } from './booking-payable.handler';
import { BookingSupport } from './booking-support';
import { BookingsController } from './bookings.controller';
import { BookingsPagesController } from './bookings.pages.controller';
import { BookingsDataRightsService } from './bookings-data-rights.service';
import { BookingsService } from './bookings.service';
import { BookingsBusyTime } from './bookings-busy-time';
import { BookingsRepository } from './bookings.repository';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarFeedService } from './calendar-feed.service';
import { CoachSessionsPagesController } from './coach-sessions.pages.controller';
import { ManageBookingPagesController } from './manage-booking.pages.controller';
import { MySessionsPagesController } from './my-sessions.pages.controller';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

@Module({
  imports: [AccountsModule, SchedulingModule],
  controllers: [
    BookingsController,
    CalendarFeedController,
    BookingsPagesController,
    CoachSessionsPagesController,
    ManageBookingPagesController,
    MySessionsPagesController,
  ],
  providers: [
    BookingsService,
    BookingsRepository,
    BookingsBusyTime,
    BookingChangesService,
    BookingJobsService,
    BookingMails,
    BookingConfirmation,
    IdempotencyKeysRepository,
    BookingPayableHandler,
    BookingSupport,
    CalendarFeedService,
    BookingsDataRightsService,
  ],
  exports: [
    BookingsService,
    BookingChangesService,
    BookingPayableHandler,
    BookingsDataRightsService,
  ],
})
export class BookingsModule {}
