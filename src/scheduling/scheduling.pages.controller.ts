import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { validateForm } from '../common/validation';
import { FieldSpecs, formBody, FormRead, Notice, renderForm, submitForm } from '../web/forms';
import { redirect } from '../web/page';
import { isPlaceZone, ZONE_RENAMES, zoneGroups, zoneLabel } from '../web/time-zones';
import {
  Availability,
  readOverrideForm,
  readWeeklyRows,
  rowAction,
  rowsFromAvailability,
  rowsFromBody,
  WEEKDAYS,
  weeklyFieldSpecs,
  WeekRows,
  withOverride,
  withoutOverride,
} from './availability-form';
import { daysOffView, wholeDays } from './days-off-view';
import { CoachSettingsDto } from './dto/settings.dto';
import { SchedulingService } from './scheduling.service';

type Form = Record<string, string | undefined>;

const SETTINGS_FIELDS: FieldSpecs = {
  displayName: 'Write your name as clients should see it (at most 120 characters).',
  cancellationNoticeHours: 'Cancellation notice can be 0 to 720 hours (30 days).',
  maxSessionsPerDay: 'Choose 1 to 100 sessions a day, or leave it empty for no limit.',
};
const DAY_OFF_FIELDS: FieldSpecs = {
  from: 'Choose the first day off.',
  until: 'The last day off must be on or after the first.',
  reason: 'Keep the note under 200 characters.',
};
const OVERRIDE_FIELDS: FieldSpecs = {
  date: { id: 'override-date', message: 'Choose the date.' },
  start: { id: 'override-start', message: 'Choose when you start that day.' },
  end: { id: 'override-end', message: 'The end must be after the start (00:00 means midnight).' },
};

/** The coach's scheduling pages: weekly hours, days off (time off and date overrides), settings. */
@ApiExcludeController()
@Controller('coach')
@Auth('coach')
export class SchedulingPagesController {
  constructor(
    private readonly scheduling: SchedulingService,
    private readonly clock: Clock,
  ) {}

  // ---- weekly hours ----

  private availabilityPage(zone: string, rows: WeekRows) {
    const firstVisit = !isPlaceZone(zone);
    return {
      title: 'Weekly hours',
      weekdays: WEEKDAYS,
      rows,
      zoneGroups: zoneGroups(this.clock.now()),
      // A zone saved before the picker (or through the API) that it doesn't offer stays visible.
      otherZone:
        zone && !isPlaceZone(zone)
          ? { value: zone, label: `${zone} (no daylight saving: pick your city)` }
          : null,
      firstVisit,
      zoneAliases: JSON.stringify(ZONE_RENAMES),
    };
  }

  @Get('availability')
  async availability(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const a = await this.scheduling.getAvailability(coach.id);
    const notice: Notice | undefined =
      (req.query as Form).saved === '1'
        ? {
            text: `Saved: your hours are in ${zoneLabel(a.timeZone, this.clock.now())}.`,
            link: { href: '/book', text: 'See your open times as clients do' },
          }
        : undefined;
    await renderForm(
      req,
      reply,
      'coach/availability',
      { ...this.availabilityPage(a.timeZone, rowsFromAvailability(a.weekly)), notice },
      { timeZone: a.timeZone },
    );
  }

  @Post('availability')
  async saveAvailability(
    @CurrentUser() coach: User,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    const rows = rowsFromBody(body);
    const zone = (body.timeZone ?? '').trim();
    const values = { timeZone: zone };
    const next = rowAction(body, rows);
    // "Add hours" / "Remove" reload the form with the rows changed and nothing saved.
    if (next)
      return renderForm(
        req,
        reply,
        'coach/availability',
        this.availabilityPage(zone, next),
        values,
      );
    const weekly = readWeeklyRows(rows);
    await submitForm<Availability>(req, reply, {
      template: 'coach/availability',
      page: () => this.availabilityPage(zone, rows),
      fields: weeklyFieldSpecs(rows),
      body,
      values,
      mapKey: weekly.mapKey,
      read: async () => {
        const errors = { ...weekly.errors };
        if (!isPlaceZone(zone)) errors.timeZone = ['timeZone is not a place zone'];
        if (Object.keys(errors).length) return { ok: false, errors };
        const current = await this.scheduling.getAvailability(coach.id);
        return {
          ok: true,
          value: {
            timeZone: ZONE_RENAMES[zone] ?? zone,
            weekly: weekly.weekly,
            overrides: current.overrides,
          },
        };
      },
      save: async (value) => {
        await this.scheduling.putAvailability(coach.id, value);
        return '/coach/availability?saved=1';
      },
    });
  }

  // ---- days off: time off and date overrides in one place ----

  private async daysOffPage(coachId: string, extra: Record<string, unknown> = {}) {
    const a = await this.scheduling.getAvailability(coachId);
    const timeOff = await this.scheduling.listTimeOff(coachId);
    return {
      title: 'Days off',
      zone: a.timeZone,
      zoneLabel: zoneLabel(a.timeZone, this.clock.now()),
      items: daysOffView(a.timeZone, timeOff, a.overrides),
      ...extra,
    };
  }

  @Get('time-off')
  async timeOff(
    @CurrentUser() coach: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const saved = (req.query as Form).saved;
    const notice: Notice | undefined =
      saved === 'off'
        ? {
            text: 'Saved: clients can’t book you then.',
            link: { href: '/book', text: 'See your open times as clients do' },
          }
        : saved === 'hours'
          ? {
              text: 'Saved: clients see those hours for that date.',
              link: { href: '/book', text: 'See your open times as clients do' },
            }
          : saved === 'removed'
            ? { text: 'Removed.' }
            : undefined;
    await renderForm(
      req,
      reply,
      'coach/time-off',
      await this.daysOffPage(coach.id, { notice, override: {} }),
      {},
    );
  }

  @Post('time-off')
  async addTimeOff(
    @CurrentUser() coach: User,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    await submitForm<{ start: string; end: string; reason?: string }>(req, reply, {
      template: 'coach/time-off',
      page: () => this.daysOffPage(coach.id, { override: {} }),
      fields: DAY_OFF_FIELDS,
      body,
      read: async (): Promise<FormRead<{ start: string; end: string; reason?: string }>> => {
        const from = (body.from ?? '').trim();
        const until = (body.until ?? '').trim() || from;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(from))
          return { ok: false, errors: { from: ['from is missing'] } };
        if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || until < from)
          return { ok: false, errors: { until: ['until is before from'] } };
        if ((body.reason ?? '').length > 200)
          return { ok: false, errors: { reason: ['too long'] } };
        try {
          const zone = (await this.scheduling.settings(coach.id)).timeZone;
          return {
            ok: true,
            value: { ...wholeDays(zone, from, until), reason: body.reason?.trim() || undefined },
          };
        } catch {
          return { ok: false, errors: { from: ['from is not a date'] } };
        }
      },
      save: async (value) => {
        await this.scheduling.createTimeOff(coach.id, value);
        return '/coach/time-off?saved=off';
      },
      mapKey: (k) => (k === 'end' ? 'until' : k === 'start' ? 'from' : k),
    });
  }

  @Post('time-off/hours')
  async addOverride(
    @CurrentUser() coach: User,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    await submitForm<Availability['overrides'][number]>(req, reply, {
      template: 'coach/time-off',
      page: () => this.daysOffPage(coach.id, { override: body }),
      fields: OVERRIDE_FIELDS,
      body: {},
      read: () => readOverrideForm(body),
      save: async (override) => {
        await this.scheduling.putAvailability(
          coach.id,
          withOverride(await this.scheduling.getAvailability(coach.id), override),
        );
        return '/coach/time-off?saved=hours';
      },
      // The service checks the whole availability; its messages about this date go to its fields.
      mapKey: (k) =>
        /^overrides\.\d+\.date$/.test(k)
          ? 'date'
          : /^overrides\.\d+\.intervals/.test(k)
            ? 'end'
            : k,
    });
  }

  @Post('time-off/hours/:date/delete')
  async deleteOverride(
    @CurrentUser() coach: User,
    @Param('date') date: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.scheduling.putAvailability(
      coach.id,
      withoutOverride(await this.scheduling.getAvailability(coach.id), date),
    );
    redirect(reply, '/coach/time-off?saved=removed');
  }

  @Post('time-off/:id/delete')
  async deleteTimeOff(
    @CurrentUser() coach: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.scheduling.deleteTimeOff(coach.id, id);
    redirect(reply, '/coach/time-off?saved=removed');
  }

  // ---- settings ----

  @Get('settings')
  async settings(
    @CurrentUser() coach: User,
    @Query('saved') saved: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = await this.scheduling.getSettings(coach.id);
    const notice: Notice | undefined =
      saved === '1'
        ? { text: 'Saved.', link: { href: '/book', text: 'See your booking page' } }
        : undefined;
    await renderForm(req, reply, 'coach/settings', { title: 'Booking settings', notice }, values);
  }

  @Post('settings')
  async saveSettings(
    @CurrentUser() coach: User,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    await submitForm(req, reply, {
      template: 'coach/settings',
      page: () => ({ title: 'Booking settings' }),
      fields: SETTINGS_FIELDS,
      body,
      read: () =>
        validateForm(CoachSettingsDto, {
          displayName: body.displayName?.trim(),
          cancellationNoticeHours: body.cancellationNoticeHours?.trim() || '24',
          maxSessionsPerDay: body.maxSessionsPerDay?.trim()
            ? Number(body.maxSessionsPerDay.trim())
            : null,
        }),
      save: async (value) => {
        await this.scheduling.putSettings(coach.id, value);
        return '/coach/settings?saved=1';
      },
    });
  }

  /** The dashboard's first-visit question: the name clients see (the other settings unchanged). */
  @Post('name')
  async saveName(
    @CurrentUser() coach: User,
    @Body() raw: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = formBody(raw);
    const current = await this.scheduling.getSettings(coach.id);
    const form = await validateForm(CoachSettingsDto, {
      ...current,
      displayName: body.displayName?.trim(),
    });
    if (!form.ok) return redirect(reply, '/coach?name=missing');
    await this.scheduling.putSettings(coach.id, form.value);
    redirect(reply, '/coach?name=saved');
  }
}
