import { Controller, Get, Inject, Param, Query, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Viewer } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { pickLocale } from '../common/dates';
import { clientIp } from '../common/http';
import { formatPrice } from '../common/money';
import { validateForm } from '../common/validation';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SchedulingService } from '../scheduling/scheduling.service';
import { PagePost, PostedForm, renderForm, submitForm } from '../web/forms';
import { redirect, renderPage } from '../web/page';
import {
  bookingInput,
  detailsFields,
  DetailsValues,
  detailsValues,
  TIME_GONE,
} from './booking-form';
import { typeView, zoneChoices } from './booking-pages-view';
import { whenIn } from './booking-view';
import { BookingsService } from './bookings.service';
import { dayPicker, PickerQuery } from './day-picker-view';
import { CreateBookingDto } from './dto/booking.dto';
import { readableZone, rememberZone, visitorZone } from './reader-zone';

type BookQuery = PickerQuery & { tz?: string; start?: string };

/**
 * The visitor's booking flow: the session types, a type's open times (a month of days, then the
 * times of one), and the "Your details" form that books (same services as the API). Times are in
 * the visitor's zone when known (`tz`, the form's field, the zone picker's cookie), else the coach's.
 */
@ApiExcludeController()
@Controller('book')
export class BookingsPagesController {
  constructor(
    private readonly scheduling: SchedulingService,
    private readonly bookings: BookingsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async types(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const types = (await this.scheduling.listSessionTypes(null, false)).map((t) => ({
      ...t,
      priceLabel: formatPrice(t.price, t.currency),
    }));
    await renderPage(req, reply, 'bookings/types', { title: 'Book a session', types });
  }

  /**
   * The zone to show times in. A zone the visitor chose other than the coach's is remembered for
   * the next visits (links between the pages carry the zone shown, chosen or not).
   */
  private async zoneFor(
    req: FastifyRequest,
    reply: FastifyReply,
    coachId: string,
    given?: string,
  ): Promise<string> {
    const coachZone = readableZone((await this.scheduling.settings(coachId)).timeZone);
    const visitor = visitorZone(req, given);
    const remembered = visitorZone(req);
    const changed = remembered ? visitor !== remembered : visitor !== coachZone;
    if (visitor && visitor === given && changed && !req.publicCache)
      rememberZone(reply, visitor, this.config.publicUrl.startsWith('https://'));
    return visitor ? readableZone(visitor) : coachZone;
  }

  @Get(':slug')
  async times(
    @Param('slug') slug: string,
    @Query() q: BookQuery,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    const zone = await this.zoneFor(req, reply, type.coachId, q.tz);
    const now = this.clock.now();
    const slotsBetween = async (from: string, to: string) =>
      (await this.scheduling.slots(type.slug, from, to, zone)).slots;
    await renderPage(req, reply, 'bookings/times', {
      title: `Book: ${type.name}`,
      type: typeView(type),
      zone,
      zones: zoneChoices(zone, now),
      zoneGiven: Boolean(visitorZone(req, q.tz)),
      ...(await dayPicker(slotsBetween, zone, now, q, pickLocale(req.headers['accept-language']))),
    });
  }

  /** The details page's data, loaded again when the form comes back. */
  private async detailsPage(req: FastifyRequest, slug: string, zone: string, start: string) {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    return {
      title: 'Your details',
      type: typeView(type),
      questions: type.intakeQuestions,
      zone,
      start,
      when: whenIn(start, zone, pickLocale(req.headers['accept-language'])),
    };
  }

  @Get(':slug/details')
  async details(
    @Param('slug') slug: string,
    @Query() q: BookQuery,
    @Viewer() viewer: User | null,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    const zone = await this.zoneFor(req, reply, type.coachId, q.tz);
    const start =
      q.start && !Number.isNaN(Date.parse(q.start)) ? new Date(q.start).toISOString() : null;
    if (!start) return redirect(reply, `/book/${slug}`);
    // A signed-in returning client starts from what they said last time.
    const values: DetailsValues = viewer
      ? {
          name: viewer.name,
          email: viewer.email,
          intake: await this.bookings.lastIntakeOf(viewer.id),
        }
      : {};
    await renderForm(
      req,
      reply,
      'bookings/details',
      await this.detailsPage(req, type.slug, zone, start),
      values,
    );
  }

  @Post(':slug')
  async book(
    @Param('slug') slug: string,
    @PostedForm() form: PagePost,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    const zone = await this.zoneFor(form.request, reply, type.coachId, form.body.timeZone);
    const start = form.body.start ?? '';
    await submitForm(form.request, reply, {
      template: 'bookings/details',
      page: () => this.detailsPage(form.request, slug, zone, start),
      fields: detailsFields(type.intakeQuestions),
      body: form.body,
      values: detailsValues(form.body),
      codeFields: TIME_GONE,
      read: (body) => validateForm(CreateBookingDto, bookingInput(body, slug, zone)),
      save: async (dto) => {
        const { body: booking } = await this.bookings.create(
          dto,
          form.body.idempotencyKey || undefined,
          clientIp(form.request),
        );
        if (booking.checkoutUrl) return booking.checkoutUrl;
        const token = new URL(booking.manageUrl!).searchParams.get('token')!;
        return `/bookings/manage?token=${encodeURIComponent(token)}&booked=1`;
      },
      redirect: (to) => {
        // Mend's own test checkout is a same-site path, so the CSP's form-action never blocks the
        // redirect when the page was reached at another host than PUBLIC_URL (e.g. 127.0.0.1).
        const url = new URL(to, this.config.publicUrl);
        if (!/^https?:\/\//.test(to) || url.pathname.startsWith('/checkout/test/'))
          return redirect(reply, url.pathname + url.search);
        void reply.redirect(to, 303);
      },
    });
  }
}
