import { IdParam } from '../common/id-param';
import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { formatShort, pickLocale } from '../common/dates';
import { zoneOr } from '../common/time-zone';
import { zoneLabel } from '../web/time-zones';
import { Clock } from '../common/clock';
import { redirect, renderPage } from '../web/page';
import { CheckoutReturnsService } from './checkout-returns.service';
import { PaymentsService } from './payments.service';

/** The pay step's returns, the local test-mode checkout, and the coach's payments page. */
@ApiExcludeController()
@Controller()
export class CheckoutPagesController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly returns: CheckoutReturnsService,
    private readonly clock: Clock,
  ) {}

  /** Stripe sends the payer here with `session_id`; test mode with `payment`. Re-fetches and fulfils if paid. */
  @Get('checkout/success')
  async success(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('session_id') sessionId?: string,
    @Query('payment') paymentId?: string,
    @Query('return') returnToken?: string,
  ): Promise<void> {
    const payment = await this.returns.checkoutReturn({ sessionId, paymentId, returnToken });
    // A paid booking lands on its "You're booked" page, the same one a free booking shows.
    if (payment.status === 'succeeded' && payment.kind === 'booking')
      return redirect(reply, payment.successPath);
    await renderPage(req, reply, 'payments/success', {
      title: payment.status === 'succeeded' ? 'Payment received' : 'Your payment',
      payment,
    });
  }

  @Get('checkout/cancelled')
  async cancelled(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('payment') paymentId?: string,
    @Query('return') returnToken?: string,
  ): Promise<void> {
    const payment = await this.returns.checkoutReturn({ paymentId, returnToken });
    // How long the hold lasts, in minutes: the payer's zone is unknown here, so no clock time.
    const minutesLeft = Math.max(
      1,
      Math.ceil((payment.expiresAt.getTime() - this.clock.now().getTime()) / 60_000),
    );
    await renderPage(req, reply, 'payments/cancelled', {
      title: 'Payment not completed',
      payment,
      minutesLeft,
    });
  }

  /** The payer gives up: the checkout is expired at Stripe and the held time released. */
  @Post('checkout/:id/release')
  async release(@IdParam() id: string, @Res() reply: FastifyReply): Promise<void> {
    const payment = await this.returns.abandon(id);
    redirect(reply, `/checkout/cancelled?${this.returns.returnQuery(payment.id)}`);
  }

  @Get('checkout/test/:id')
  async testCheckout(
    @IdParam() id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const payment = await this.returns.testCheckout(id);
    await renderPage(req, reply, 'payments/test-checkout', {
      title: 'Checkout (local test mode)',
      payment,
      // The signed return address (a bare payment id opens no return page).
      returnQuery: this.returns.returnQuery(payment.id),
      // In minutes, not as a clock time: this page doesn't know the payer's zone.
      minutesLeft: Math.max(
        1,
        Math.ceil((payment.expiresAt.getTime() - this.clock.now().getTime()) / 60_000),
      ),
    });
  }

  @Post('checkout/test/:id/pay')
  async testPay(@IdParam() id: string, @Res() reply: FastifyReply): Promise<void> {
    const payment = await this.returns.testModePay(id);
    redirect(
      reply,
      payment.status === 'expired'
        ? `/checkout/cancelled?${this.returns.returnQuery(payment.id)}`
        : `/checkout/success?${this.returns.returnQuery(payment.id)}`,
    );
  }

  @Post('checkout/test/:id/cancel')
  async testCancel(@IdParam() id: string, @Res() reply: FastifyReply): Promise<void> {
    const payment = await this.returns.testModeCancel(id);
    redirect(reply, `/checkout/cancelled?${this.returns.returnQuery(payment.id)}`);
  }

  @Get('coach/payments')
  @Auth('coach')
  async coachPayments(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() coach: User,
    @Query('retried') retried?: string,
  ): Promise<void> {
    // Times in her own zone (the one her account page keeps), in the reader's language.
    const zone = zoneOr(coach.timeZone, 'UTC');
    const locale = pickLocale(req.headers['accept-language']);
    const payments = (await this.payments.list()).map((p) => ({
      ...p,
      createdText: formatShort(p.createdAt, zone, locale),
    }));
    await renderPage(req, reply, 'payments/coach-payments', {
      title: 'Payments',
      zone: zoneLabel(zone, this.clock.now()),
      payments,
      testMode: this.payments.testMode,
      notice: retried === '1' ? 'The refund is being tried again.' : null,
    });
  }

  @Post('coach/payments/:id/retry-refund')
  @Auth('coach')
  async retryRefund(@IdParam() id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.payments.retryRefund(id);
    redirect(reply, '/coach/payments?retried=1');
  }
}
