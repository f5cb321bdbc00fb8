import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { BookingChangesService } from './booking-changes.service';
import { BookingJobsService } from './booking-jobs.service';
import { BookingMails } from './booking-mails';
import { BookingPayableHandler } from './booking-payable.handler';
import { BookingSupport } from './booking-support';
import { BookingsController } from './bookings.controller';
import { BookingsDataRightsService } from './bookings-data-rights.service';
import { BookingsService } from './bookings.service';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarFeedService } from './calendar-feed.service';

@Module({
  imports: [AccountsModule, SchedulingModule],
  controllers: [BookingsController, CalendarFeedController],
  providers: [
    BookingsService,
    BookingChangesService,
    BookingJobsService,
    BookingMails,
    BookingPayableHandler,
    BookingSupport,
    CalendarFeedService,
    BookingsDataRightsService,
  ],
  exports: [BookingsService, BookingChangesService, BookingPayableHandler, BookingsDataRightsService],
})
export class BookingsModule {}
