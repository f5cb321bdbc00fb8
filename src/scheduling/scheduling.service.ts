import { Injectable } from '@nestjs/common';
import { Temporal } from 'temporal-polyfill';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { DomainError, notFound } from '../common/errors';
import { hashToken, newToken } from '../common/tokens';
import { validationFailed } from '../common/validation';
import { availabilityProblems } from './availability-rules';
import { CoachSettings } from './coach-settings.entity';
import { AvailabilityDto } from './dto/availability.dto';
import { CoachSettingsDto, SlotsOutDto } from './dto/settings.dto';
import {
  CreateSessionTypeDto,
  SessionTypeOutDto,
  UpdateSessionTypeDto,
} from './dto/session-type.dto';
import { CreateTimeOffDto, TimeOffOutDto } from './dto/time-off.dto';
import { extrasColumns, intakeQuestionProblems, meetingProblems } from './session-type-extras';
import { SessionType } from './session-type.entity';
import { SessionTypeRecord } from './session-type-record';
import { BusyRange, BusyTimeRegistry, BusyTimeSource } from './busy-time';
import {
  computeSlots,
  ExistingBooking,
  InstantRange,
  isValidTimeZone,
  localDateWindow,
  Slot,
} from './slots';
import { TimeOff } from './time-off.entity';

import {
  SchedulingSettings,
  SETTINGS_COLUMNS,
  SettingsRow,
  settingsFromRow,
  SlotType,
  toSessionTypeDto,
  TypeRow,
} from './scheduling-rows';

export { toSessionTypeDto };
export type { SchedulingSettings, SlotType };

const DAY = 86_400_000;
const EPOCH_MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505';
}

@Injectable()
export class SchedulingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly busyTime: BusyTimeRegistry,
  ) {}

  // ---- settings and availability ----

  async settings(
    coachId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SchedulingSettings> {
    // Raw SQL: this is on the slots hot path, and TypeORM's entity loading costs more than the query.
    const [row]: SettingsRow[] = await m.query(
      `SELECT ${SETTINGS_COLUMNS} FROM coach_settings s WHERE s.coach_id = $1`,
      [coachId],
    );
    if (row) return settingsFromRow(coachId, row);
    // Inside a caller's transaction every query goes through its manager (never a second connection).
    const coach = await m.findOne(User, { where: { id: coachId } });
    return {
      coachId,
      displayName: coach?.name ?? 'Your coach',
      timeZone: 'UTC',
      weekly: [],
      overrides: [],
      cancellationNoticeHours: 24,
      maxSessionsPerDay: null,
    };
  }

  private async upsert(coachId: string, patch: Partial<CoachSettings>): Promise<void> {
    const current = await this.settings(coachId);
    await this.dataSource
      .getRepository(CoachSettings)
      .upsert({ ...current, ...patch, coachId }, ['coachId']);
  }

  async getAvailability(coachId: string): Promise<AvailabilityDto> {
    const s = await this.settings(coachId);
    return { timeZone: s.timeZone, weekly: s.weekly, overrides: s.overrides };
  }

  async putAvailability(coachId: string, dto: AvailabilityDto): Promise<AvailabilityDto> {
    const problems = availabilityProblems(dto.timeZone, dto.weekly, dto.overrides);
    if (Object.keys(problems).length) throw validationFailed(problems);
    const weekly = dto.weekly
      .map((w) => ({ weekday: w.weekday, start: w.start, end: w.end }))
      .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
    const overrides = dto.overrides
      .map((o) => ({
        date: o.date,
        intervals: o.intervals
          .map((i) => ({ start: i.start, end: i.end }))
          .sort((a, b) => a.start.localeCompare(b.start)),
      }))
      .sort((a, b) => a.date.localeCompare(b.date));
    await this.upsert(coachId, { timeZone: dto.timeZone, weekly, overrides });
    return this.getAvailability(coachId);
  }

  async getSettings(coachId: string): Promise<CoachSettingsDto> {
    const s = await this.settings(coachId);
    return {
      displayName: s.displayName,
      cancellationNoticeHours: s.cancellationNoticeHours,
      maxSessionsPerDay: s.maxSessionsPerDay,
    };
  }

  async putSettings(coachId: string, dto: CoachSettingsDto): Promise<CoachSettingsDto> {
    await this.upsert(coachId, {
      displayName: dto.displayName.trim(),
      cancellationNoticeHours: dto.cancellationNoticeHours,
      maxSessionsPerDay: dto.maxSessionsPerDay,
    });
    return this.getSettings(coachId);
  }

  /** A new secret feed token (only its hash is kept); the old one stops working. */
  async rotateFeedToken(coachId: string): Promise<string> {
    const { token, hash } = newToken();
    await this.upsert(coachId, { calendarFeedTokenHash: hash });
    return token;
  }

  async coachForFeedToken(token: string): Promise<string | null> {
    if (!token || token.length > 200) return null;
    const row = await this.dataSource
      .getRepository(CoachSettings)
      .findOne({ where: { calendarFeedTokenHash: hashToken(token) } });
    return row?.coachId ?? null;
  }

  // ---- time off ----

  async listTimeOff(coachId: string): Promise<TimeOffOutDto[]> {
    const rows = await this.dataSource
      .getRepository(TimeOff)
      .find({ where: { coachId }, order: { startAt: 'ASC' } });
    return rows.map((r) => ({
      id: r.id,
      start: r.startAt.toISOString(),
      end: r.endAt.toISOString(),
      reason: r.reason,
    }));
  }

  async createTimeOff(coachId: string, dto: CreateTimeOffDto): Promise<TimeOffOutDto> {
    const start = new Date(dto.start);
    const end = new Date(dto.end);
    if (!(end > start)) throw validationFailed({ end: ['end must be after start'] });
    const row = await this.dataSource
      .getRepository(TimeOff)
      .save({ coachId, startAt: start, endAt: end, reason: dto.reason?.trim() || null });
    return { id: row.id, start: start.toISOString(), end: end.toISOString(), reason: row.reason };
  }

  async deleteTimeOff(coachId: string, id: string): Promise<void> {
    const res = await this.dataSource.getRepository(TimeOff).delete({ id, coachId });
    if (!res.affected) throw notFound('Time off');
  }

  // ---- session types ----

  async listSessionTypes(
    coachId: string | null,
    includeInactive: boolean,
  ): Promise<SessionTypeOutDto[]> {
    const where = { ...(coachId ? { coachId } : {}), ...(includeInactive ? {} : { active: true }) };
    const rows = await this.dataSource
      .getRepository(SessionType)
      .find({ where, order: { createdAt: 'ASC' } });
    return rows.map((r) => toSessionTypeDto(r, includeInactive && coachId !== null));
  }

  async createSessionType(coachId: string, dto: CreateSessionTypeDto): Promise<SessionTypeOutDto> {
    const problems = {
      ...meetingProblems(dto.meeting),
      ...intakeQuestionProblems(dto.intakeQuestions),
    };
    if (Object.keys(problems).length) throw validationFailed(problems);
    const { meeting: _m, intakeQuestions: _q, ...plain } = dto;
    try {
      const row = await this.dataSource
        .getRepository(SessionType)
        .save({ ...plain, ...extrasColumns(dto), description: dto.description ?? '', coachId });
      return toSessionTypeDto(
        await this.dataSource.getRepository(SessionType).findOneByOrFail({ id: row.id }),
        true,
      );
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('CONFLICT', 'Another session type already uses this slug.');
      throw e;
    }
  }

  async updateSessionType(
    coachId: string,
    id: string,
    dto: UpdateSessionTypeDto,
  ): Promise<SessionTypeOutDto> {
    const repo = this.dataSource.getRepository(SessionType);
    const row = await repo.findOne({ where: { id, coachId } });
    if (!row) throw notFound('Session type');
    const problems = {
      ...meetingProblems(dto.meeting),
      ...intakeQuestionProblems(dto.intakeQuestions),
    };
    if (Object.keys(problems).length) throw validationFailed(problems);
    const { meeting: _m, intakeQuestions: _q, ...plain } = dto;
    try {
      await repo.save({ ...row, ...plain, ...extrasColumns(dto) });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new DomainError('CONFLICT', 'Another session type already uses this slug.');
      throw e;
    }
    return toSessionTypeDto(await repo.findOneByOrFail({ id }), true);
  }

  async sessionTypeBySlug(
    slug: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SessionTypeRecord> {
    const row =
      typeof slug === 'string' && slug.length <= 80
        ? await m.findOne(SessionType, { where: { slug, active: true } })
        : null;
    if (!row) throw notFound('Session type');
    return row;
  }

  async sessionTypeById(
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SessionTypeRecord> {
    return m.findOneByOrFail(SessionType, { id });
  }

  /** The longest booking window of the coach's active session types, in days (60 when none). */
  async longestBookingWindowDays(coachId: string): Promise<number> {
    const [row]: { days: number | null }[] = await this.dataSource.query(
      `SELECT max(booking_window_days)::int AS days FROM session_types WHERE coach_id = $1 AND active`,
      [coachId],
    );
    return row?.days ?? 60;
  }

  /** Demo content on a fresh install: weekday hours and two session types (only when none exist). */
  async seedDemo(coachId: string): Promise<boolean> {
    const types = this.dataSource.getRepository(SessionType);
    if ((await types.count()) > 0) return false;
    const existing = await this.dataSource
      .getRepository(CoachSettings)
      .findOne({ where: { coachId } });
    if (!existing || existing.weekly.length === 0) {
      const weekly = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
      await this.upsert(coachId, { timeZone: 'America/New_York', weekly, overrides: [] });
    }
    await types.save([
      {
        coachId,
        name: 'Discovery call',
        slug: 'discovery-call',
        durationMinutes: 20,
        price: 0,
        currency: 'usd',
        minimumNoticeMinutes: 240,
        bookingWindowDays: 60,
        description:
          'A free, gentle 20-minute conversation to see whether working together feels right. No preparation needed.',
        location: 'Video call (the link comes with your confirmation)',
      },
      {
        coachId,
        name: 'Coaching session',
        slug: 'coaching-session',
        durationMinutes: 50,
        price: 9500,
        currency: 'usd',
        bufferBeforeMinutes: 10,
        bufferAfterMinutes: 10,
        minimumNoticeMinutes: 720,
        bookingWindowDays: 90,
        slotIntervalMinutes: 30,
        description:
          'A 50-minute one-to-one session: steady, trauma-informed support at your pace.',
        location: 'Video call (the link comes with your confirmation)',
      },
    ]);
    return true;
  }

  // ---- slots ----

  async slots(slug: string, from: string, to: string, timeZone?: string): Promise<SlotsOutDto> {
    const rows: (SettingsRow & TypeRow)[] =
      typeof slug === 'string' && slug.length <= 80
        ? await this.dataSource.query(
            `SELECT t.coach_id, t.duration_minutes, t.slot_interval_minutes, t.buffer_before_minutes, t.buffer_after_minutes,
                    t.minimum_notice_minutes, t.booking_window_days, ${SETTINGS_COLUMNS}
             FROM session_types t LEFT JOIN coach_settings s ON s.coach_id = t.coach_id
             WHERE t.slug = $1 AND t.active`,
            [slug],
          )
        : [];
    if (!rows.length) throw notFound('Session type');
    const r = rows[0];
    const type: SlotType = {
      coachId: r.coach_id,
      durationMinutes: r.duration_minutes,
      slotIntervalMinutes: r.slot_interval_minutes,
      bufferBeforeMinutes: r.buffer_before_minutes,
      bufferAfterMinutes: r.buffer_after_minutes,
      minimumNoticeMinutes: r.minimum_notice_minutes,
      bookingWindowDays: r.booking_window_days,
    };
    const settings =
      r.time_zone === null ? await this.settings(type.coachId) : settingsFromRow(type.coachId, r);
    const zone = timeZone ?? settings.timeZone;
    if (!isValidTimeZone(zone))
      throw validationFailed({ timeZone: ['timeZone must be a known IANA time zone'] });
    const problems: Record<string, string[]> = {};
    const parse = (field: string, v: string) => {
      try {
        if (!DATE.test(v)) throw new RangeError();
        return Temporal.PlainDate.from(v, { overflow: 'reject' });
      } catch {
        problems[field] = [`${field} must be a date YYYY-MM-DD`];
        return null;
      }
    };
    const f = parse('from', from);
    const t = parse('to', to);
    if (f && t) {
      const days = f.until(t).days;
      if (days < 0) problems.to = ['to must not be before from'];
      else if (days > 62) problems.to = ['to must be at most 62 days after from'];
    }
    if (Object.keys(problems).length) throw validationFailed(problems);
    const window = localDateWindow(from, to, zone);
    const slots = await this.offered(type, settings, window, true);
    return {
      timeZone: zone,
      slots: slots.map((s) => ({
        start: new Date(s.start).toISOString(),
        end: new Date(s.end).toISOString(),
      })),
    };
  }

  /**
   * Is `start` an offered slot of this type? With `withSessions` false, Mend's own bookings and the
   * daily limit are ignored (a start that passes that test but loses to a booking is SLOT_TAKEN);
   * the coach's other calendars always count.
   */
  async isOffered(
    type: SlotType,
    start: Date,
    withSessions: boolean,
    m: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const settings = await this.settings(type.coachId, m);
    const ms = start.getTime();
    const slots = await this.offered(type, settings, { start: ms, end: ms + 1 }, withSessions, m);
    return slots.some((s) => s.start === ms);
  }

  private async offered(
    type: SlotType,
    s: SchedulingSettings,
    window: { start: number; end: number },
    withSessions: boolean,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Slot[]> {
    const now = this.clock.now();
    const lo = new Date(window.start - 2 * DAY);
    const hi = new Date(window.end + 2 * DAY);
    const sources = this.busyTime.sources(withSessions ? ['sessions', 'blocks'] : ['blocks']);
    const timeOffQuery = (): Promise<{ a: number; b: number }[]> =>
      // Epoch milliseconds as float8: parsing hundreds of timestamptz strings costs more than the query.
      m.query(
        `SELECT ${EPOCH_MS('start_at')} AS a, ${EPOCH_MS('end_at')} AS b FROM time_off
         WHERE coach_id = $1 AND end_at > $2 AND start_at < $3`,
        [type.coachId, lo, hi],
      );
    // Sessions are looked up from a day earlier: a long session's busy range can reach in.
    const ask = (src: BusyTimeSource): Promise<BusyRange[]> =>
      src.busyRanges(
        m,
        type.coachId,
        src.kind === 'sessions' ? new Date(lo.getTime() - DAY) : lo,
        hi,
        now,
      );
    let timeOff: { a: number; b: number }[];
    let answers: BusyRange[][];
    if (m.queryRunner) {
      // Inside a caller's transaction: one connection, one query at a time.
      timeOff = await timeOffQuery();
      answers = [];
      for (const src of sources) answers.push(await ask(src));
    } else {
      [timeOff, ...answers] = await Promise.all([timeOffQuery(), ...sources.map(ask)]);
    }
    const bookings: ExistingBooking[] = [];
    const blocks: InstantRange[] = [];
    sources.forEach((src, i) => {
      for (const r of answers[i]) {
        if (src.kind === 'sessions')
          bookings.push({ start: r.sessionStart ?? r.start, busyStart: r.start, busyEnd: r.end });
        else blocks.push({ start: r.start, end: r.end });
      }
    });
    return computeSlots({
      coachTimeZone: s.timeZone,
      weekly: s.weekly,
      overrides: s.overrides,
      rules: type,
      window,
      now: now.getTime(),
      timeOff: timeOff.map((r) => ({ start: r.a, end: r.b })),
      bookings,
      blocks,
      maxSessionsPerDay: withSessions ? s.maxSessionsPerDay : null,
    });
  }
}
