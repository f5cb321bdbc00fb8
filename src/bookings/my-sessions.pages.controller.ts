import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { pickLocale } from '../common/dates';
import { renderPage } from '../web/page';
import { mySessionsView } from './booking-pages-view';
import { BookingsService } from './bookings.service';
import { visitorZone } from './reader-zone';

/** The member's own sessions: upcoming first, then past, in her own time zone. */
@ApiExcludeController()
@Controller('account/sessions')
@Auth()
export class MySessionsPagesController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async mySessions(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const bookings = await this.bookings.listForClient(user, { withManageLinks: true });
    // Her account's zone, else the zone picker's, else each session's own.
    const zone = visitorZone(req, user.timeZone ?? undefined);
    const locale = pickLocale(req.headers['accept-language']);
    const view = mySessionsView(bookings, this.clock.now(), zone, locale);
    await renderPage(req, reply, 'bookings/my-sessions', { title: 'Your sessions', ...view });
  }
}
