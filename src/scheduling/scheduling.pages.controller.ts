import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { DomainError, notFound } from '../common/errors';
import { formatPrice, readPriceField, toMajorInput } from '../common/money';
import { validateForm } from '../common/validation';
import { redirect, renderPage } from '../web/page';
import { AvailabilityDto } from './dto/availability.dto';
import { CoachSettingsDto } from './dto/settings.dto';
import { CreateSessionTypeDto, UpdateSessionTypeDto } from './dto/session-type.dto';
import { formatDayIntervals, parseAvailabilityForm } from './availability-form';
import { SchedulingService } from './scheduling.service';
import { parseQuestionLines, questionLines } from './session-type-extras';
import { IntakeQuestion } from './session-type.entity';

type Form = Record<string, string | undefined>;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The coach's scheduling pages: weekly hours and overrides, time off, session types, settings. */
/**
 * Validates a session-type form against the API's DTO: the price is typed in major units of the
 * chosen currency ("95.00", or "5000" for JPY) and converted once, by the money module.
 */
async function validateSessionTypeForm<T extends object>(
  dto: new () => T,
  body: Form,
  extra: Form = {},
): Promise<{ ok: true; value: T } | { ok: false; errors: Record<string, string[]> }> {
  const price = readPriceField(body.price, body.currency);
  const raw: Record<string, unknown> = { ...body, ...extra, price: String(price.ok ? price.minor : 0) };
  delete raw._csrf;
  delete raw.meetingKind;
  delete raw.meetingValue;
  if (body.meetingKind) raw.meeting = { kind: body.meetingKind, ...(body.meetingValue?.trim() ? { value: body.meetingValue.trim() } : {}) };
  raw.intakeQuestions = parseQuestionLines(body.intakeQuestions ?? '');
  // `number | null` fields get no implicit conversion from the form's strings.
  raw.slotIntervalMinutes = body.slotIntervalMinutes ? Number(body.slotIntervalMinutes) : null;
  const form = await validateForm(dto, raw);
  if (price.ok) return form;
  return { ok: false, errors: { ...(form.ok ? {} : form.errors), price: [price.message] } };
}

@ApiExcludeController()
@Controller('coach')
@Auth('coach')
export class SchedulingPagesController {
  constructor(private readonly scheduling: SchedulingService) {}

  @Get('availability')
  async availability(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const a = await this.scheduling.getAvailability(coach.id);
    const values: Form = {
      timeZone: a.timeZone,
      overrides: a.overrides
        .map((o) => `${o.date} ${formatDayIntervals(o.intervals) || 'off'}`)
        .join('\n'),
    };
    WEEKDAYS.forEach(
      (_, i) =>
        (values[`day${i + 1}`] = formatDayIntervals(a.weekly.filter((w) => w.weekday === i + 1))),
    );
    await renderPage(req, reply, 'coach/availability', {
      title: 'Weekly hours',
      weekdays: WEEKDAYS,
      values,
      saved: (req.query as Form).saved === '1',
    });
  }

  @Post('availability')
  async saveAvailability(
    @CurrentUser() coach: User,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parsed = parseAvailabilityForm(body);
    let errors: Record<string, string[]> = parsed.errors;
    if (!Object.keys(errors).length) {
      const form = await validateForm(AvailabilityDto, parsed.value);
      if (form.ok) {
        try {
          await this.scheduling.putAvailability(coach.id, form.value);
          return redirect(reply, '/coach/availability?saved=1');
        } catch (e) {
          if (!(e instanceof DomainError) || !e.details) throw e;
          errors = e.details;
        }
      } else errors = form.errors;
    }
    await renderPage(
      req,
      reply,
      'coach/availability',
      {
        title: 'Weekly hours',
        weekdays: WEEKDAYS,
        values: body,
        errors: Object.entries(errors).map(([k, v]) => `${k}: ${v.join(' ')}`),
      },
      400,
    );
  }

  @Get('time-off')
  async timeOff(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    error?: string,
    status = 200,
  ): Promise<void> {
    const zone = (await this.scheduling.settings(coach.id)).timeZone;
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    const items = (await this.scheduling.listTimeOff(coach.id)).map((t) => ({
      ...t,
      startLabel: fmt.format(new Date(t.start)),
      endLabel: fmt.format(new Date(t.end)),
    }));
    await renderPage(
      req,
      reply,
      'coach/time-off',
      { title: 'Time off', items, zone, error },
      status,
    );
  }

  @Post('time-off')
  async addTimeOff(
    @CurrentUser() coach: User,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const zone = (await this.scheduling.settings(coach.id)).timeZone;
    const toInstant = (v: string | undefined) =>
      Temporal.PlainDateTime.from(v ?? '')
        .toZonedDateTime(zone, { disambiguation: 'compatible' })
        .toInstant()
        .toString();
    try {
      await this.scheduling.createTimeOff(coach.id, {
        start: toInstant(body.start),
        end: toInstant(body.end),
        reason: body.reason?.slice(0, 200) || undefined,
      });
    } catch (e) {
      if (e instanceof DomainError || e instanceof RangeError)
        return this.timeOff(
          coach,
          req,
          reply,
          'Please give a start and an end, the end after the start.',
          400,
        );
      throw e;
    }
    redirect(reply, '/coach/time-off');
  }

  @Post('time-off/:id/delete')
  async deleteTimeOff(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.scheduling.deleteTimeOff(coach.id, id);
    redirect(reply, '/coach/time-off');
  }

  @Get('session-types')
  async sessionTypes(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    extra: Record<string, unknown> = {},
    status = 200,
  ): Promise<void> {
    const types = await this.scheduling.listSessionTypes(coach.id, true);
    await renderPage(
      req,
      reply,
      'coach/session-types',
      {
        title: 'Session types',
        types: types.map((t) => ({ ...t, priceText: formatPrice(t.price, t.currency) })),
        values: {},
        ...extra,
      },
      status,
    );
  }

  @Post('session-types')
  async createSessionType(
    @CurrentUser() coach: User,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateSessionTypeForm(CreateSessionTypeDto, body, { active: 'true' });
    if (!form.ok)
      return this.sessionTypes(coach, req, reply, { values: body, errors: form.errors }, 400);
    try {
      await this.scheduling.createSessionType(coach.id, form.value);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return this.sessionTypes(
        coach,
        req,
        reply,
        { values: body, errors: e.details ?? { slug: [e.message] } },
        e.status,
      );
    }
    redirect(reply, '/coach/session-types');
  }

  @Get('session-types/:id/edit')
  async editSessionType(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const type = (await this.scheduling.listSessionTypes(coach.id, true)).find((t) => t.id === id);
    if (!type) throw notFound('Session type');
    const values = {
      ...type,
      price: toMajorInput(type.price, type.currency),
      slotIntervalMinutes: type.slotIntervalMinutes ?? '',
      meetingKind: type.meeting.kind,
      meetingValue: type.meeting.value ?? '',
      intakeQuestions: questionLines(type.intakeQuestions as IntakeQuestion[]),
    };
    await renderPage(req, reply, 'coach/session-type-edit', {
      title: `Edit ${type.name}`,
      id,
      name: type.name,
      values,
    });
  }

  @Post('session-types/:id')
  async updateSessionType(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = { title: 'Edit session type', id, name: body.name ?? '', values: body };
    const form = await validateSessionTypeForm(UpdateSessionTypeDto, body);
    if (!form.ok)
      return renderPage(
        req,
        reply,
        'coach/session-type-edit',
        { ...page, errors: form.errors },
        400,
      );
    try {
      await this.scheduling.updateSessionType(coach.id, id, form.value);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return renderPage(
        req,
        reply,
        'coach/session-type-edit',
        { ...page, error: e.message, errors: e.details },
        e.status,
      );
    }
    redirect(reply, '/coach/session-types');
  }

  @Post('session-types/:id/toggle')
  async toggle(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Form,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.scheduling.updateSessionType(coach.id, id, { active: body.active === 'true' });
    redirect(reply, '/coach/session-types');
  }

  @Get('settings')
  async settings(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = await this.scheduling.getSettings(coach.id);
    await renderPage(req, reply, 'coach/settings', {
      title: 'Booking settings',
      values,
      saved: (req.query as Form).saved === '1',
    });
  }

  @Post('settings')
  async saveSettings(
    @CurrentUser() coach: User,
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(CoachSettingsDto, {
      displayName: body.displayName,
      cancellationNoticeHours: body.cancellationNoticeHours,
      maxSessionsPerDay: body.maxSessionsPerDay ? Number(body.maxSessionsPerDay) : null,
    });
    if (!form.ok)
      return renderPage(
        req,
        reply,
        'coach/settings',
        { title: 'Booking settings', values: body, errors: form.errors },
        400,
      );
    await this.scheduling.putSettings(coach.id, form.value);
    redirect(reply, '/coach/settings?saved=1');
  }
}
