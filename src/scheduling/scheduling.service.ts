import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { pgCode } from '../database/pg-code';
import { AccountsService } from '../accounts/accounts.service';
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
import { SchedulingRepository } from './scheduling.repository';
import { SessionType } from './session-type.entity';
import { extrasColumns, intakeQuestionProblems, meetingProblems } from './session-type-extras';
import { SessionTypeRecord } from './session-type-record';
import { SlotSettings } from './slot-settings-cache';
import { SlotFinder } from './slot-finder';

import { SchedulingSettings, settingsFromRow, SlotType, toSessionTypeDto } from './scheduling-rows';

export { toSessionTypeDto };
export type { SchedulingSettings, SlotType };

@Injectable()
export class SchedulingService {
  constructor(
    private readonly repository: SchedulingRepository,
    private readonly accounts: AccountsService,
    private readonly finder: SlotFinder,
  ) {}

  // ---- settings and availability ----

  /** The coach's settings, read now (inside the caller's transaction when given its manager). */
  async settings(coachId: string, m?: EntityManager): Promise<SchedulingSettings> {
    const row = await this.repository.settingsRow(coachId, m);
    if (row) return settingsFromRow(coachId, row);
    // Inside a caller's transaction every query goes through its manager (never a second connection).
    const coach = await this.accounts.findById(coachId, m);
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
    await this.repository.saveSettings({ ...current, ...patch, coachId });
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
    return this.repository.coachIdForFeedTokenHash(hashToken(token));
  }

  // ---- time off ----

  async listTimeOff(coachId: string): Promise<TimeOffOutDto[]> {
    const rows = await this.repository.timeOffOf(coachId);
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
    const row = await this.repository.addTimeOff({
      coachId,
      startAt: start,
      endAt: end,
      reason: dto.reason?.trim() || null,
    });
    return { id: row.id, start: start.toISOString(), end: end.toISOString(), reason: row.reason };
  }

  async deleteTimeOff(coachId: string, id: string): Promise<void> {
    if (!(await this.repository.deleteTimeOff(coachId, id))) throw notFound('Time off');
  }

  // ---- session types ----

  async listSessionTypes(
    coachId: string | null,
    includeInactive: boolean,
  ): Promise<SessionTypeOutDto[]> {
    const rows = await this.repository.sessionTypes(coachId, includeInactive);
    return rows.map((r) => toSessionTypeDto(r, includeInactive && coachId !== null));
  }

  async createSessionType(coachId: string, dto: CreateSessionTypeDto): Promise<SessionTypeOutDto> {
    const { meeting: _m, intakeQuestions: _q, ...plain } = dto;
    const id = await this.saveSessionType(dto, {
      ...plain,
      ...extrasColumns(dto),
      description: dto.description ?? '',
      coachId,
    });
    return toSessionTypeDto(await this.repository.sessionTypeById(id), true);
  }

  /** Checks a session type's meeting and intake questions, then saves it (a taken slug: 409). */
  private async saveSessionType(
    dto: CreateSessionTypeDto | UpdateSessionTypeDto,
    row: Partial<SessionType>,
  ): Promise<string> {
    const problems = {
      ...meetingProblems(dto.meeting),
      ...intakeQuestionProblems(dto.intakeQuestions),
    };
    if (Object.keys(problems).length) throw validationFailed(problems);
    try {
      return await this.repository.saveSessionType(row);
    } catch (e) {
      if (pgCode(e) === '23505')
        throw new DomainError('CONFLICT', 'Another session type already uses this slug.');
      throw e;
    }
  }

  async updateSessionType(
    coachId: string,
    id: string,
    dto: UpdateSessionTypeDto,
  ): Promise<SessionTypeOutDto> {
    const row = await this.repository.sessionTypeOfCoach(id, coachId);
    if (!row) throw notFound('Session type');
    const { meeting: _m, intakeQuestions: _q, ...plain } = dto;
    await this.saveSessionType(dto, { ...row, ...plain, ...extrasColumns(dto) });
    return toSessionTypeDto(await this.repository.sessionTypeById(id), true);
  }

  async sessionTypeBySlug(slug: string, m?: EntityManager): Promise<SessionTypeRecord> {
    const row =
      typeof slug === 'string' && slug.length <= 80
        ? await this.repository.activeSessionTypeBySlug(slug, m)
        : null;
    if (!row) throw notFound('Session type');
    return row;
  }

  async sessionTypeById(id: string, m?: EntityManager): Promise<SessionTypeRecord> {
    return this.repository.sessionTypeById(id, m);
  }

  /** The longest booking window of the coach's active session types, in days (60 when none). */
  async longestBookingWindowDays(coachId: string): Promise<number> {
    return (await this.repository.longestBookingWindowDays(coachId)) ?? 60;
  }

  /** Demo content on a fresh install: weekday hours and two session types (only when none exist). */
  async seedDemo(coachId: string): Promise<boolean> {
    if ((await this.repository.countSessionTypes()) > 0) return false;
    if (!(await this.repository.hasWeeklyHours(coachId))) {
      const weekly = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
      await this.upsert(coachId, { timeZone: 'America/New_York', weekly, overrides: [] });
    }
    await this.repository.saveSessionTypes([
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

  // ---- slots (the hot path lives in slot-finder.ts) ----

  slots(slug: string, from: string, to: string, timeZone?: string): Promise<SlotsOutDto> {
    return this.finder.slots(slug, from, to, timeZone);
  }

  /** `slots` as its JSON text (the API answers with it as is). */
  slotsJson(slug: string, from: string, to: string, timeZone?: string): Promise<string> {
    return this.finder.slotsJson(slug, from, to, timeZone);
  }

  /**
   * Is `start` an offered slot of this type? With `withSessions` false, Mend's own bookings and the
   * daily limit are ignored (a start that passes that test but loses to a booking is SLOT_TAKEN);
   * the coach's other calendars always count.
   */
  isOffered(
    type: SlotType,
    start: Date,
    withSessions: boolean,
    m?: EntityManager,
  ): Promise<boolean> {
    return this.finder.isOffered(type, start, withSessions, m);
  }

  /**
   * For booking a start: the active session type by slug (404 if none), the coach's hours, zone
   * and daily limit, and whether the start is offered (as `isOffered` with `withSessions` false).
   * One statement in the steady state (see SlotFinder.bookable).
   */
  bookable(
    slug: string,
    start: Date,
  ): Promise<{ type: SessionTypeRecord; settings: SlotSettings; offered: boolean }> {
    return this.finder.bookable(slug, start);
  }
}
