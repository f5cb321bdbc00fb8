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
import { validateForm } from '../common/validation';
import { SchedulingService } from '../scheduling/scheduling.service';
import { isValidTimeZone } from '../scheduling/slots';
import { redirect, renderPage } from '../web/page';
import { BookingChangesService } from './booking-changes.service';
import {
  addDays,
  addMonths,
  calendarLinks,
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
const DAYS_SHOWN = 14;
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
  ) {}

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
      when: whenIn(b.start, b.timeZone || zone),
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
    const today = todayIn(zone, this.clock.now());
    const isDate = (v?: string) => isCalendarDate(v);
    const wanted = isDate(q.date) ? q.date! : isDate(q.from) ? q.from! : null;
    let month = /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month ?? '') ? q.month! : (wanted ?? today).slice(0, 7);
    if (month < today.slice(0, 7)) month = today.slice(0, 7);
    const first = `${month}-01`;
    const last = addDays(`${addMonths(month, 1)}-01`, -1);
    const { slots } = await this.scheduling.slots(slug, first < today ? today : first, last, zone);
    const days = groupByDay(slots, zone);
    const selected = days.find((d) => d.date === wanted) ?? days[0] ?? null;
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
      days,
      selected,
      month,
      monthLabel: monthLabel(month),
      weeks: monthGrid(month, days),
      weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
      nextMonth: addMonths(month, 1),
      previousMonth: month > today.slice(0, 7) ? addMonths(month, -1) : null,
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
      ? { name: viewer.name, email: viewer.email, intake: await this.bookings.lastIntakeOf(viewer.id) }
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
        when: whenIn(start, zone),
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
      if (k.startsWith('intake_') && typeof v === 'string') intake[k.slice('intake_'.length)] = v.slice(0, 4000);
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

  @Get('bookings/manage')
  async manage(
    @Query() q: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderManage(req, reply, q.token ?? '', {
      booked: q.booked === '1',
      notice: DONE_MESSAGES[q.done ?? ''] ?? null,
    });
  }

  private async renderManage(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: { booked?: boolean; notice?: string | null; error?: string },
    status = 200,
  ) {
    const booking = await this.bookings.byToken(token);
    const type = await this.scheduling.sessionTypeBySlug(booking.sessionType).catch(() => null);
    const settings = type ? await this.scheduling.settings(type.coachId) : null;
    const active = booking.status === 'confirmed';
    let days: ReturnType<typeof groupByDay> = [];
    if (active && type) {
      const from = todayIn(booking.timeZone, this.clock.now());
      days = groupByDay(
        (
          await this.scheduling.slots(
            type.slug,
            from,
            addDays(from, DAYS_SHOWN - 1),
            booking.timeZone,
          )
        ).slots,
        booking.timeZone,
      );
    }
    await renderPage(
      req,
      reply,
      'bookings/manage',
      {
        title: 'Your session',
        booking,
        token,
        active,
        days,
        when: whenIn(booking.start, booking.timeZone),
        priceLabel: formatPrice(booking.price, booking.currency),
        policy: policyInWords(settings?.cancellationNoticeHours ?? 24, booking.price > 0),
        icsPath: `/api/bookings/${booking.id}/ics?token=${encodeURIComponent(token)}`,
        addTo: calendarLinks(booking),
        answers: (type?.intakeQuestions ?? [])
          .filter((q) => booking.intake?.[q.id])
          .map((q) => ({ label: q.label, answer: booking.intake![q.id] })),
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
      await this.renderManage(req, reply, token, { error: e.message }, e.status);
    }
  }
}
