import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DashboardService } from './dashboard.service';
import { Notice } from './forms';
import { renderPage } from './page';

@ApiExcludeController()
@Controller('coach')
@Auth('coach')
export class CoachPagesController {
  constructor(
    private readonly dashboard: DashboardService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async home(
    @CurrentUser() coach: User,
    @Query('name') name: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.dashboard.forCoach(coach.id);
    const notice: Notice | undefined =
      name === 'saved' && view.name
        ? {
            text: `Thank you, ${view.name}. Clients now see your name.`,
            link: { href: '/book', text: 'See your booking page' },
          }
        : undefined;
    await renderPage(req, reply, 'coach/dashboard', {
      title: 'Your practice',
      ...view,
      notice,
      nameMissing: name === 'missing',
      mailConfigured: Boolean(this.config.mail.url),
    });
  }

  @Get('outbox')
  async outbox(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const mails = await this.dashboard.outbox(coach.id);
    await renderPage(req, reply, 'coach/outbox', {
      title: 'Mail outbox',
      mails,
      mailConfigured: Boolean(this.config.mail.url),
    });
  }
}
