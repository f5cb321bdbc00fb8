import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors';
import { clientIp } from '../../common/http';
import { validateForm } from '../../common/validation';
import { redirect, renderPage, safeNext } from '../../web/page';
import { SubscribeDto } from '../dto/newsletter.dto';
import { NewsletterService } from './newsletter.service';
import { NewsletterState, newsletterPage } from './newsletter-view';

type Form = Record<string, string | undefined>;

@ApiExcludeController()
@Controller('newsletter')
export class NewsletterPagesController {
  constructor(private readonly newsletter: NewsletterService) {}

  private show(
    req: FastifyRequest,
    reply: FastifyReply,
    state: NewsletterState,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    return renderPage(req, reply, 'content/newsletter', newsletterPage(state, extra), status);
  }

  @Post('subscribe')
  async subscribe(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(SubscribeDto, { email: body.email });
    // From a post or the blog: back to where the reader was, the answer shown in the box.
    const from = safeNext(body.from, '');
    const back = from.startsWith('/blog') ? from.split('#')[0] : null;
    if (!form.ok) {
      if (back) return redirect(reply, `${back}#subscribe-invalid`);
      return this.show(req, reply, 'invalid', { email: body.email }, 400);
    }
    await this.newsletter.subscribe(form.value.email, clientIp(req));
    if (back) return redirect(reply, `${back}#subscribed`);
    await this.show(req, reply, 'check_email');
  }

  /** GET only shows a button: mail scanners that prefetch links must not confirm anything. */
  @Get('confirm')
  async confirmPage(
    @Query('token') token: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.show(req, reply, 'confirm', { token: token ?? '' });
  }

  @Post('confirm')
  async confirm(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.newsletter.confirm(String(body.token ?? ''));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return this.show(req, reply, 'expired', { message: e.message }, e.status);
    }
    await this.show(req, reply, 'confirmed');
  }

  @Get('unsubscribe')
  async unsubscribePage(
    @Query('token') token: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const valid = this.newsletter.isValidUnsubscribeToken(token ?? '');
    const message = 'This unsubscribe link is not valid.';
    const state = valid ? 'unsubscribe' : 'error';
    await this.show(req, reply, state, { token: token ?? '', message }, valid ? 200 : 400);
  }

  /**
   * The page's button and mail clients' one-click unsubscribe (RFC 8058:
   * `List-Unsubscribe=One-Click`) both land here. It is exempt from CSRF because mail clients post
   * it without a session; the signed token in the link is what authenticates it.
   */
  @Post('unsubscribe')
  async unsubscribe(
    @Query('token') queryToken: string | undefined,
    @Body() body: Form | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = String(queryToken ?? body?.token ?? '');
    try {
      await this.newsletter.unsubscribe(token);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return this.show(req, reply, 'error', { message: e.message }, e.status);
    }
    await this.show(req, reply, 'unsubscribed');
  }
}
