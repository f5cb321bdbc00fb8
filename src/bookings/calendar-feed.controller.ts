import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { notFound } from '../common/errors';
import { CalendarFeedService } from './calendar-feed.service';

@ApiTags('bookings')
@Controller()
export class CalendarFeedController {
  constructor(private readonly feed: CalendarFeedService) {}

  @Get('calendar/:file')
  @ApiExcludeEndpoint()
  async calendar(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    // Only `<token>.ics`: one form of the address, the one the log redaction knows.
    if (!file.endsWith('.ics')) throw notFound('Calendar');
    const body = await this.feed.feed(file.slice(0, -'.ics'.length));
    await reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(body);
  }

  @Post('api/coach/calendar-feed/rotate')
  @HttpCode(200)
  @Auth('coach')
  @ApiBearerAuth()
  async rotate(@CurrentUser() coach: User): Promise<{ url: string }> {
    return { url: await this.feed.rotate(coach.id) };
  }
}
