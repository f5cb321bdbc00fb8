import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CalendarsBusyTime } from './calendars-busy-time';
import { CalendarsController } from './calendars.controller';
import { CalendarsPagesController } from './calendars.pages.controller';
import { CalendarsRepository } from './calendars.repository';
import { CalendarsService } from './calendars.service';

/** The coach's other calendars (iCal subscriptions) as busy time for scheduling. */
@Module({
  imports: [AccountsModule, SchedulingModule],
  controllers: [CalendarsController, CalendarsPagesController],
  providers: [CalendarsService, CalendarsRepository, CalendarsBusyTime],
  exports: [CalendarsService],
})
export class CalendarsModule {}
