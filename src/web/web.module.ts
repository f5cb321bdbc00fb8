import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { ContentModule } from '../content/content.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CoachPagesController } from './coach.pages.controller';
import { DashboardService } from './dashboard.service';
import { HomePagesController } from './home.pages.controller';

@Module({
  imports: [ContentModule, BookingsModule, SchedulingModule],
  controllers: [HomePagesController, CoachPagesController],
  providers: [DashboardService],
})
export class WebModule {}
