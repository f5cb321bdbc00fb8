import { isCalendarDate } from '../common/calendar-date';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser, Viewer } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { formatPrice } from '../common/money';
import { DomainError } from '../common/errors';
import { clientIp } from '../common/http';
import { Clock } from '../common/clock';
import { pickLocale } from '../common/dates';
import { SiteService } from '../site/site.service';
import { validateForm } from '../common/validation';
import { SchedulingService } from '../scheduling/scheduling.service';
import { isValidTimeZone } from '../scheduling/slots';
import { redirect, renderPage } from '../web/page';
import { BookingChangesService } from './booking-changes.service';
import {
  addDays,
  addMonths,
  calendarLinks,
  DayOfSlots,
  groupByDay,
  monthGrid,
  monthLabel,
  todayIn,
  whenIn,
  zonesWith,
} from './booking-view';
import { BookingsService } from './bookings.service';
import { CreateBookingDto } from './dto/booking.dto';
import { policyInWords } from './policy';

type Form = Record<string, string | undefined>;
type FormValues = {
  name?: string;
  email?: string;
  notes?: string;
  preferredName?: string;
  pronouns?: string;
  intake?: Record<string, string>;
};

/** The day/time picker's month, shared by booking and moving a booking. */
interface Picker {
  days: DayOfSlots[];
  selected: DayOfSlots | null;
  month: string;
  monthLabel: string;
  weeks: ReturnType<typeof monthGrid>;
  weekdays: string[];
  nextMonth: string;
  previousMonth: string | null;
}
const isDate = (v?: string) => isCalendarDate(v);
const localeOf = (req: FastifyRequest) => pickLocale(req.headers['accept-language']);
const DONE_MESSAGES: Record<string, string> = {
  cancelled: 'Your session is cancelled. We sent you a confirmation.',
  refunded: 'Your session is cancelled, and a full refund is on its way.',
  moved: 'Your session has moved. We sent you an updated invite.',
};

/** The visitor's booking flow and the manage-booking page (same services as the API). */
@ApiExcludeController()
@Controller()
export class BookingsPagesController {
  constructor(
    private readonly scheduling: SchedulingService,
    private readonly bookings: BookingsService,
    private readonly changes: BookingChangesService,
    private readonly clock: Clock,
    private readonly site: SiteService,
  ) {}

  /**
   * One month of a type's open times in `zone` (from today), with the wanted day selected, else
   * the first day with times, so the first page already shows times. `keep` filters the slots.
   */
  private async picker(
    slug: string,
    zone: string,
    q: Form,
    locale: string,
    keep: <T extends { start: string }>(slots: T[]) => T[] = (slots) => slots,
  ): Promise<Picker> {
    const today = todayIn(zone, this.clock.now());
    const wanted = isDate(q.date) ? q.date! : isDate(q.from) ? q.from! : null;
    let month = /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month ?? '')
      ? q.month!
      : (wanted ?? today).slice(0, 7);
    if (month < today.slice(0, 7)) month = today.slice(0, 7);
    const first = `${month}-01`;
    const last = addDays(`${addMonths(month, 1)}-01`, -1);
    const { slots } = await this.scheduling.slots(slug, first < today ? today : first, last, zone);
    const days = groupByDay(keep(slots), zone, locale);
    return {
      days,
      selected: days.find((d) => d.date === wanted) ?? days[0] ?? null,
      month,
      monthLabel: monthLabel(month, locale),
      weeks: monthGrid(month, days, locale),
      weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
      nextMonth: addMonths(month, 1),
      previousMonth: month > today.slice(0, 7) ? addMonths(month, -1) : null,
    };
  }

  /** The member's own sessions: upcoming first, then past, in their own time zone. */
  @Get('account/sessions')
  @Auth()
  async mySessions(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const zone = user.timeZone && isValidTimeZone(user.timeZone) ? user.timeZone : 'UTC';
    const now = this.clock.now().toISOString();
    const all = (await this.bookings.listForClient(user, { withManageLinks: true })).map((b) => ({
      ...b,
      when: whenIn(b.start, b.timeZone || zone, localeOf(req)),
      priceLabel: formatPrice(b.price, b.currency),
    }));
    const upcoming = all.filter(
      (b) => b.end >= now && (b.status === 'confirmed' || b.status === 'pending_payment'),
    );
    const past = all.filter((b) => !upcoming.includes(b)).reverse();
    await renderPage(req, reply, 'bookings/my-sessions', {
      title: 'Your sessions',
      upcoming,
      past,
    });
  }

  @Get('book')
  async types(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const types = (await this.scheduling.listSessionTypes(null, false)).map((t) => ({
      ...t,
      priceLabel: formatPrice(t.price, t.currency),
    }));
    await renderPage(req, reply, 'bookings/types', { title: 'Book a session', types });
  }

  /** The visitor's chosen zone, else the coach's (for a session type already loaded). */
  private async zoneFor(type: { coachId: string }, tz: string | undefined): Promise<string> {
    if (tz && isValidTimeZone(tz)) return tz;
    return (await this.scheduling.settings(type.coachId)).timeZone;
  }

  @Get('book/:slug')
  async times(
    @Param('slug') slug: string,
    @Query() q: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    const zone = await this.zoneFor(type, q.tz);
    await renderPage(req, reply, 'bookings/times', {
      title: `Book: ${type.name}`,
      type: {
        name: type.name,
        slug: type.slug,
        description: type.description,
        durationMinutes: type.durationMinutes,
        priceLabel: formatPrice(type.price, type.currency),
        location: type.location,
      },
      zone,
      zones: zonesWith(zone),
      zoneGiven: Boolean(q.tz),
      ...(await this.picker(type.slug, zone, q, localeOf(req))),
    });
  }

  @Get('book/:slug/details')
  async details(
    @Param('slug') slug: string,
    @Query() q: Form,
    @Viewer() viewer: User | null,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    const zone = await this.zoneFor(type, q.tz);
    const start =
      q.start && !Number.isNaN(Date.parse(q.start)) ? new Date(q.start).toISOString() : null;
    if (!start) return redirect(reply, `/book/${slug}`);
    // A signed-in returning client starts from what they said last time.
    const values: FormValues = viewer
      ? {
          name: viewer.name,
          email: viewer.email,
          intake: await this.bookings.lastIntakeOf(viewer.id),
        }
      : {};
    await this.renderDetails(req, reply, type.slug, zone, start, values, null, 200);
  }

  private async renderDetails(
    req: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    zone: string,
    start: string,
    values: FormValues,
    error: string | null,
    status: number,
    errors?: Record<string, string[]>,
  ) {
    const type = await this.scheduling.sessionTypeBySlug(slug);
    await renderPage(
      req,
      reply,
      'bookings/details',
      {
        title: 'Your details',
        type: {
          name: type.name,
          slug: type.slug,
          durationMinutes: type.durationMinutes,
          priceLabel: formatPrice(type.price, type.currency),
          paid: type.price > 0,
        },
        questions: type.intakeQuestions,
        zone,
        start,
        when: whenIn(start, zone, localeOf(req)),
        values,
        error,
        errors,
      },
      status,
    );
  }

  @Post('book/:slug')
  async book(
    @Param('slug') slug: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const zone = await this.zoneFor(await this.scheduling.sessionTypeBySlug(slug), body.timeZone);
    const start = body.start ?? '';
    const intake: Record<string, string> = {};
    for (const [k, v] of Object.entries(body))
      if (k.startsWith('intake_') && typeof v === 'string')
        intake[k.slice('intake_'.length)] = v.slice(0, 4000);
    const values: FormValues = {
      name: body.name,
      email: body.email,
      notes: body.notes,
      preferredName: body.preferredName,
      pronouns: body.pronouns,
      intake,
    };
    const form = await validateForm(CreateBookingDto, {
      sessionType: slug,
      start,
      name: body.name,
      email: body.email,
      timeZone: zone,
      notes: body.notes,
      // Optional: a blank field is "not given".
      preferredName: body.preferredName?.trim() || undefined,
      pronouns: body.pronouns?.trim() || undefined,
      intake,
    });
    if (!form.ok)
      return this.renderDetails(
        req,
        reply,
        slug,
        zone,
        start,
        values,
        'Please check the highlighted fields.',
        400,
        form.errors,
      );
    try {
      const { body: booking } = await this.bookings.create(
        form.value,
        body.idempotencyKey || undefined,
        clientIp(req),
      );
      if (booking.checkoutUrl) {
        // Mend's own test checkout: a same-site path, so the CSP's form-action never blocks the
        // redirect when the page was reached at another host than PUBLIC_URL (e.g. 127.0.0.1).
        const checkout = new URL(booking.checkoutUrl);
        if (checkout.pathname.startsWith('/checkout/test/'))
          return redirect(reply, checkout.pathname);
        void reply.redirect(booking.checkoutUrl, 303);
        return;
      }
      const token = new URL(booking.manageUrl!).searchParams.get('token')!;
      redirect(reply, `/bookings/manage?token=${encodeURIComponent(token)}&booked=1`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'NOT_FOUND') throw e;
      await this.renderDetails(
        req,
        reply,
        slug,
        zone,
        start,
        values,
        e.message,
        e.status,
        e.details,
      );
    }
  }

  /**
   * The manage page (`booked=1`: the "You're booked" page). It offers only what the POSTs accept:
   * times outside the notice window, cancelling after one confirmation step (`step=cancel`) that
   * states the refund; inside the window, how to reach the coach instead of buttons.
   */
  @Get('bookings/manage')
  async manage(
    @Query() q: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderManage(req, reply, q.token ?? '', q, {
      notice: DONE_MESSAGES[q.done ?? ''] ?? null,
    });
  }

  private async renderManage(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    q: Form,
    extra: { notice?: string | null; error?: string },
    status = 200,
  ) {
    const booking = await this.bookings.byToken(token);
    const locale = localeOf(req);
    const zone = booking.timeZone;
    const options = await this.changes.changeOptions(token);
    const type = await this.scheduling.sessionTypeBySlug(booking.sessionType).catch(() => null);
    const active = booking.status === 'confirmed';
    const contactEmail = (await this.site.current()).contactEmail || options.coachEmail;
    const tokenQuery = `token=${encodeURIComponent(token)}`;
    const common = {
      booking,
      token,
      tokenQuery,
      active,
      options,
      contactEmail,
      when: whenIn(booking.start, zone, locale),
      priceLabel: formatPrice(booking.price, booking.currency),
      policy: policyInWords(options.noticeHours, booking.price > 0),
      icsPath: `/api/bookings/${booking.id}/ics?${tokenQuery}`,
      addTo: calendarLinks(booking),
      answers: (type?.intakeQuestions ?? [])
        .filter((iq) => booking.intake?.[iq.id])
        .map((iq) => ({ label: iq.label, answer: booking.intake![iq.id] })),
    };
    if (q.booked === '1' && active && !extra.error)
      return renderPage(
        req,
        reply,
        'bookings/booked',
        { title: "You're booked", ...common },
        status,
      );
    const confirmCancel = q.step === 'cancel' && options.canChange;
    const picker =
      options.canChange && type && !confirmCancel
        ? await this.picker(type.slug, zone, q, locale, (slots) =>
            this.changes.movableSlots(slots, options.noticeHours),
          )
        : null;
    await renderPage(
      req,
      reply,
      'bookings/manage',
      {
        title: confirmCancel ? 'Cancel your session?' : 'Your session',
        ...common,
        confirmCancel,
        picker,
        zoneLabel: zone.replace(/_/g, ' '),
        ...extra,
      },
      status,
    );
  }

  @Post('bookings/manage/cancel')
  async cancel(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = body.token ?? '';
    const booking = await this.bookings.byToken(token);
    // The confirmation stated a refund: if the notice window has closed since, say so instead
    // of cancelling on other terms than the ones shown.
    if (booking.status === 'cancelled')
      return redirect(reply, `/bookings/manage?token=${encodeURIComponent(token)}&done=cancelled`);
    const options = await this.changes.changeOptions(token);
    const stated = body.refund === undefined ? null : body.refund === 'full';
    if (
      booking.status === 'confirmed' &&
      (!options.canChange || (stated !== null && stated !== options.refundOnCancel.due))
    )
      return this.renderManage(
        req,
        reply,
        token,
        {},
        {
          error:
            'The notice period has passed since that page was shown, so nothing was cancelled.',
        },
        409,
      );
    const result = await this.changes.cancel(
      booking.id,
      { viewer: null, token },
      body.reason?.slice(0, 500),
    );
    redirect(
      reply,
      `/bookings/manage?token=${encodeURIComponent(token)}&done=${result.refund.status === 'none' ? 'cancelled' : 'refunded'}`,
    );
  }

  @Post('bookings/manage/reschedule')
  async reschedule(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = body.token ?? '';
    const booking = await this.bookings.byToken(token);
    try {
      if (!body.start) throw new DomainError('VALIDATION_FAILED', 'Please choose a new time.');
      await this.changes.reschedule(booking.id, { viewer: null, token }, body.start);
      redirect(reply, `/bookings/manage?token=${encodeURIComponent(token)}&done=moved`);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'NOT_FOUND') throw e;
      await this.renderManage(req, reply, token, {}, { error: e.message }, e.status);
    }
  }
}
