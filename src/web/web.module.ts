import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { ERROR_PAGES, ErrorPages } from '../common/error-pages';
import { ContentModule } from '../content/content.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CoachPagesController } from './coach.pages.controller';
import { DashboardService } from './dashboard.service';
import { HomePagesController } from './home.pages.controller';
import { renderBarePage } from './page';

/** Error pages for the one exception filter (common/ knows only the ERROR_PAGES port). */
const errorPages: ErrorPages = { render: (page) => renderBarePage('error', { ...page }) };

@Module({
  imports: [ContentModule, BookingsModule, SchedulingModule],
  controllers: [HomePagesController, CoachPagesController],
  providers: [DashboardService, { provide: ERROR_PAGES, useValue: errorPages }],
  exports: [ERROR_PAGES],
})
export class WebModule {}
