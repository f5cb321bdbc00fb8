import { IdParam } from '../common/id-param';
import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { DomainError } from '../common/errors';
import { redirect, renderPage } from '../web/page';
import { CalendarsService } from './calendars.service';

type Form = Record<string, string | undefined>;

/** The coach's page of external calendars: add, sync now, remove; each with its state. */
@ApiExcludeController()
@Controller('coach/calendars')
@Auth('coach')
export class CalendarsPagesController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  async page(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    error?: string,
    values: Form = {},
    status = 200,
  ): Promise<void> {
    const fmt = new Intl.DateTimeFormat('en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    const items = (await this.calendars.list(coach.id)).map((c) => ({
      ...c,
      syncedLabel: c.lastSyncedAt ? `${fmt.format(new Date(c.lastSyncedAt))} UTC` : 'never',
    }));
    await renderPage(
      req,
      reply,
      'coach/calendars',
      { title: 'Your other calendars', items, error, values },
      status,
    );
  }

  @Post()
  async add(
    @CurrentUser() coach: User,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.calendars.create(coach.id, {
        name: (body.name ?? '').slice(0, 120) || 'Calendar',
        url: (body.url ?? '').slice(0, 2000),
      });
    } catch (e) {
      if (e instanceof DomainError) {
        const details = Object.values(e.details ?? {})
          .flat()
          .join(' ');
        return this.page(
          coach,
          req,
          reply,
          `That address can’t be used: ${details || e.message}`,
          { name: body.name },
          400,
        );
      }
      throw e;
    }
    redirect(reply, '/coach/calendars');
  }

  @Post(':id/sync')
  async sync(
    @CurrentUser() coach: User,
    @IdParam() id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.calendars.syncForCoach(coach.id, id);
    redirect(reply, '/coach/calendars');
  }

  @Post(':id/delete')
  async remove(
    @CurrentUser() coach: User,
    @IdParam() id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.calendars.remove(coach.id, id);
    redirect(reply, '/coach/calendars');
  }
}
