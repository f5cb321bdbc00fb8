import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { SchedulingService } from '../scheduling/scheduling.service';
import { redirect, renderPage } from '../web/page';
import { BookingChangesService } from './booking-changes.service';
import { pickLocale } from '../common/dates';
import { coachSessionsView } from './booking-pages-view';
import { BookingsService } from './bookings.service';
import { CalendarFeedService } from './calendar-feed.service';

/** The coach's upcoming sessions (today and later) and her calendar feed address. */
@ApiExcludeController()
@Controller('coach/sessions')
@Auth('coach')
export class CoachSessionsPagesController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly scheduling: SchedulingService,
    private readonly feed: CalendarFeedService,
    private readonly changes: BookingChangesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async sessions(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    feedUrl?: string,
  ): Promise<void> {
    const zone = (await this.scheduling.settings(coach.id)).timeZone;
    const now = this.clock.now();
    const sessions = await this.bookings.upcoming(coach.id, now);
    const locale = pickLocale(req.headers['accept-language']);
    await renderPage(req, reply, 'coach/sessions', {
      title: 'Upcoming sessions',
      zone,
      feedUrl,
      ...coachSessionsView(sessions, zone, now, locale),
    });
  }

  @Post('calendar-feed')
  async rotate(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const url = await this.feed.rotate(coach.id);
    await this.sessions(coach, req, reply, url);
  }

  /** The coach cancels a session (always with a full refund of a paid one, per the policy). */
  @Post(':id/cancel')
  async cancel(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, string | undefined>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.changes.cancel(id, { viewer: coach }, body.reason?.slice(0, 500));
    redirect(reply, '/coach/sessions');
  }
}
