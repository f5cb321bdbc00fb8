import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentUser } from '../accounts/auth.decorators';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { IdParam } from '../common/id-param';
import { validateForm } from '../common/validation';
import { PagePost, PostedForm, renderForm, submitForm } from '../web/forms';
import { redirect } from '../web/page';
import { isPlaceZone, ZONE_RENAMES, zoneGroups, zoneLabel } from '../web/time-zones';
import {
  readWeeklyRows,
  rowAction,
  rowsFromAvailability,
  rowsFromBody,
  WEEKDAYS,
  weeklyFieldSpecs,
  WeekRows,
  withOverride,
  withoutOverride,
  readOverrideForm,
} from './availability-form';
import { daysOffView } from './days-off-view';
import { CoachSettingsDto } from './dto/settings.dto';
import {
  availabilityNotice,
  DAY_OFF_FIELDS,
  dayOffKey,
  daysOffNotice,
  OVERRIDE_FIELDS,
  overrideKey,
  readDayOff,
  readSettings,
  SETTINGS_FIELDS,
  settingsNotice,
} from './scheduling-form';
import { SchedulingService } from './scheduling.service';

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
      firstVisit: !isPlaceZone(zone),
      zoneAliases: JSON.stringify(ZONE_RENAMES),
    };
  }

  @Get('availability')
  async availability(
    @CurrentUser() coach: User,
    @Query('saved') saved: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const a = await this.scheduling.getAvailability(coach.id);
    const page = this.availabilityPage(a.timeZone, rowsFromAvailability(a.weekly));
    const notice = availabilityNotice(saved === '1', zoneLabel(a.timeZone, this.clock.now()));
    const values = { timeZone: a.timeZone };
    await renderForm(req, reply, 'coach/availability', { ...page, notice }, values);
  }

  @Post('availability')
  async saveAvailability(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const rows = rowsFromBody(form.body);
    const zone = (form.body.timeZone ?? '').trim();
    const next = rowAction(form.body, rows);
    const page = () => this.availabilityPage(zone, next ?? rows);
    // "Add hours" / "Remove" reload the form with the rows changed and nothing saved.
    if (next)
      return renderForm(form.request, reply, 'coach/availability', page(), { timeZone: zone });
    const weekly = readWeeklyRows(rows);
    const coachId = form.viewer!.id;
    await submitForm(form.request, reply, {
      template: 'coach/availability',
      page,
      fields: weeklyFieldSpecs(rows),
      body: form.body,
      values: { timeZone: zone },
      mapKey: weekly.mapKey,
      read: async () => {
        const errors = { ...weekly.errors };
        if (!isPlaceZone(zone)) errors.timeZone = ['timeZone is not a place zone'];
        if (Object.keys(errors).length) return { ok: false, errors };
        const { overrides } = await this.scheduling.getAvailability(coachId);
        return {
          ok: true,
          value: { timeZone: ZONE_RENAMES[zone] ?? zone, weekly: weekly.weekly, overrides },
        };
      },
      save: (value) =>
        this.scheduling.putAvailability(coachId, value).then(() => '/coach/availability?saved=1'),
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
      override: {},
      ...extra,
    };
  }

  @Get('time-off')
  async timeOff(
    @CurrentUser() coach: User,
    @Query('saved') saved: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.daysOffPage(coach.id, { notice: daysOffNotice(saved) });
    await renderForm(req, reply, 'coach/time-off', page, {});
  }

  @Post('time-off')
  async addTimeOff(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const coachId = form.viewer!.id;
    await submitForm(form.request, reply, {
      template: 'coach/time-off',
      page: () => this.daysOffPage(coachId),
      fields: DAY_OFF_FIELDS,
      body: form.body,
      mapKey: dayOffKey,
      read: async (body) => readDayOff(body, (await this.scheduling.settings(coachId)).timeZone),
      save: (dayOff) =>
        this.scheduling.createTimeOff(coachId, dayOff).then(() => '/coach/time-off?saved=off'),
    });
  }

  @Post('time-off/hours')
  async addOverride(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const coachId = form.viewer!.id;
    await submitForm(form.request, reply, {
      template: 'coach/time-off',
      page: () => this.daysOffPage(coachId, { override: form.body }),
      fields: OVERRIDE_FIELDS,
      body: {},
      mapKey: overrideKey,
      read: () => readOverrideForm(form.body),
      save: async (override) => {
        const current = await this.scheduling.getAvailability(coachId);
        await this.scheduling.putAvailability(coachId, withOverride(current, override));
        return '/coach/time-off?saved=hours';
      },
    });
  }

  @Post('time-off/hours/:date/delete')
  async deleteOverride(
    @CurrentUser() coach: User,
    @Param('date') date: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const current = await this.scheduling.getAvailability(coach.id);
    await this.scheduling.putAvailability(coach.id, withoutOverride(current, date));
    redirect(reply, '/coach/time-off?saved=removed');
  }

  @Post('time-off/:id/delete')
  async deleteTimeOff(
    @CurrentUser() coach: User,
    @IdParam() id: string,
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
    const page = { title: 'Booking settings', notice: settingsNotice(saved === '1') };
    await renderForm(req, reply, 'coach/settings', page, values);
  }

  @Post('settings')
  async saveSettings(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const coachId = form.viewer!.id;
    await submitForm(form.request, reply, {
      template: 'coach/settings',
      page: () => ({ title: 'Booking settings' }),
      fields: SETTINGS_FIELDS,
      body: form.body,
      read: readSettings,
      save: (value) =>
        this.scheduling.putSettings(coachId, value).then(() => '/coach/settings?saved=1'),
    });
  }

  /** The dashboard's first-visit question: the name clients see (the other settings unchanged). */
  @Post('name')
  async saveName(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const coachId = form.viewer!.id;
    const current = await this.scheduling.getSettings(coachId);
    const displayName = form.body.displayName?.trim();
    const named = await validateForm(CoachSettingsDto, { ...current, displayName });
    if (!named.ok) return redirect(reply, '/coach?name=missing');
    await this.scheduling.putSettings(coachId, named.value);
    redirect(reply, '/coach?name=saved');
  }
}
