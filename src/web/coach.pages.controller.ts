import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../accounts/auth.decorators';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { MailService } from '../mail/mail.service';
import { renderPage } from './page';

@ApiExcludeController()
@Controller('coach')
@Auth('coach')
export class CoachPagesController {
  constructor(
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async dashboard(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await renderPage(req, reply, 'coach/dashboard', { title: 'Your practice', mailConfigured: Boolean(this.config.mail.url) });
  }

  @Get('outbox')
  async outbox(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const mails = await this.mail.list(100);
    await renderPage(req, reply, 'coach/outbox', { title: 'Mail outbox', mails, mailConfigured: Boolean(this.config.mail.url) });
  }
}
