import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { pickLocale } from '../common/dates';
import { DomainError } from '../common/errors';
import { SchedulingService } from '../scheduling/scheduling.service';
import { SiteService } from '../site/site.service';
import { PagePost, PostedForm } from '../web/forms';
import { redirect, renderPage } from '../web/page';
import { BookingChangesService } from './booking-changes.service';
import { manageView } from './booking-pages-view';
import { BookingsService } from './bookings.service';
import { coachLabel } from './coach-label';
import { dayPicker, PickerQuery } from './day-picker-view';
import { readableZone, visitorZone } from './reader-zone';

type ManageQuery = PickerQuery & {
  token?: string;
  tz?: string;
  booked?: string;
  step?: string;
  done?: string;
};

const DONE_MESSAGES: Record<string, string> = {
  cancelled: 'Your session is cancelled. We sent you a confirmation.',
  refunded: 'Your session is cancelled, and a full refund is on its way.',
  moved: 'Your session has moved. We sent you an updated invite.',
};

const managePath = (token: string, then: string) =>
  `/bookings/manage?token=${encodeURIComponent(token)}&${then}`;

/**
 * The manage page behind a booking's private link (`booked=1`: the "You're booked" page). It
 * offers only what the POSTs accept: times outside the notice window, cancelling after one
 * confirmation step (`step=cancel`) that states the refund; inside the window, how to reach the
 * coach instead of buttons.
 */
@ApiExcludeController()
@Controller('bookings/manage')
export class ManageBookingPagesController {
  constructor(
    private readonly scheduling: SchedulingService,
    private readonly bookings: BookingsService,
    private readonly changes: BookingChangesService,
    private readonly clock: Clock,
    private readonly site: SiteService,
  ) {}

  @Get()
  async manage(
    @Query() q: ManageQuery,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const done = q.done ?? '';
    const notice = Object.hasOwn(DONE_MESSAGES, done) ? DONE_MESSAGES[done] : null;
    await this.renderManage(req, reply, q.token ?? '', q, { notice });
  }

  private async renderManage(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    q: ManageQuery,
    extra: { notice?: string | null; error?: string },
    status = 200,
  ) {
    const booking = await this.bookings.byToken(token);
    const locale = pickLocale(req.headers['accept-language']);
    // The zone she chose on this visit, else the one she booked in (a bare "UTC" as a place).
    const zone = readableZone(visitorZone(req, q.tz) ?? booking.timeZone);
    const options = await this.changes.changeOptions(token);
    const type = await this.scheduling.sessionTypeBySlug(booking.sessionType).catch(() => null);
    const site = await this.site.current();
    const settings = type ? await this.scheduling.settings(type.coachId) : null;
    const view = manageView({
      booking,
      token,
      options,
      type,
      zone,
      locale,
      contactEmail: site.contactEmail || options.coachEmail,
      coachName: coachLabel(settings?.displayName, site.name),
    });
    if (q.booked === '1' && view.active && !extra.error)
      return renderPage(req, reply, 'bookings/booked', { title: "You're booked", ...view }, status);
    const confirmCancel = q.step === 'cancel' && options.canChange;
    const slotsBetween = async (from: string, to: string) =>
      this.changes.movableSlots(
        (await this.scheduling.slots(type!.slug, from, to, zone)).slots,
        options.noticeHours,
      );
    const picker =
      options.canChange && type && !confirmCancel
        ? await dayPicker(slotsBetween, zone, this.clock.now(), q, locale)
        : null;
    const title = confirmCancel ? 'Cancel your session?' : 'Your session';
    await renderPage(
      req,
      reply,
      'bookings/manage',
      { title, ...view, confirmCancel, picker, ...extra },
      status,
    );
  }

  @Post('cancel')
  async cancel(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const { token = '', refund, reason } = form.body;
    const booking = await this.bookings.byToken(token);
    if (booking.status === 'cancelled') return redirect(reply, managePath(token, 'done=cancelled'));
    // The confirmation stated a refund: if the notice window has closed since, say so instead
    // of cancelling on other terms than the ones shown.
    const options = await this.changes.changeOptions(token);
    const stated = refund === undefined ? null : refund === 'full';
    if (
      booking.status === 'confirmed' &&
      (!options.canChange || (stated !== null && stated !== options.refundOnCancel.due))
    ) {
      const error =
        'The notice period has passed since that page was shown, so nothing was cancelled.';
      return this.renderManage(form.request, reply, token, {}, { error }, 409);
    }
    const access = { viewer: null, token };
    const result = await this.changes.cancel(booking.id, access, reason?.slice(0, 500));
    const done = result.refund.status === 'none' ? 'cancelled' : 'refunded';
    redirect(reply, managePath(token, `done=${done}`));
  }

  @Post('reschedule')
  async reschedule(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const { token = '', start } = form.body;
    const booking = await this.bookings.byToken(token);
    try {
      if (!start) throw new DomainError('VALIDATION_FAILED', 'Please choose a new time.');
      await this.changes.reschedule(booking.id, { viewer: null, token }, start);
      redirect(reply, managePath(token, 'done=moved'));
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'NOT_FOUND') throw e;
      await this.renderManage(form.request, reply, token, {}, { error: e.message }, e.status);
    }
  }
}
