import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { validationFailed } from '../common/validation';
import { BusyTimeRegistry } from './busy-time';
import { SlotsOutDto } from './dto/settings.dto';
import { SchedulingRepository, SlotTypeRow } from './scheduling.repository';
import { SlotType } from './scheduling-rows';
import { SessionTypeRecord } from './session-type-record';
import { DEFAULT_SLOT_SETTINGS, SlotSettings, SlotSettingsCache } from './slot-settings-cache';
import { isoInstant, parseDateOnly } from './slot-format';
import {
  computeSlots,
  ExistingBooking,
  InstantRange,
  isValidTimeZone,
  localDateWindow,
  Slot,
} from './slots';

const DAY = 86_400_000;
/** A request that keeps meeting a newer version (settings saved in a loop) still gets an answer. */
const ATTEMPTS = 3;
/** At most this many different slots requests are kept answered (the oldest go first). */
const MAX_ANSWERS = 500;

export function slotSettingsFromRow(r: Partial<SlotTypeRow>): SlotSettings {
  return r.time_zone == null
    ? DEFAULT_SLOT_SETTINGS
    : {
        timeZone: r.time_zone,
        weekly: r.weekly ?? [],
        overrides: r.overrides ?? [],
        maxSessionsPerDay: r.max_sessions_per_day ?? null,
      };
}

function slotTypeFromRow(r: SlotTypeRow): SlotType {
  return {
    coachId: r.coach_id,
    durationMinutes: r.duration_minutes,
    slotIntervalMinutes: r.slot_interval_minutes,
    bufferBeforeMinutes: r.buffer_before_minutes,
    bufferAfterMinutes: r.buffer_after_minutes,
    minimumNoticeMinutes: r.minimum_notice_minutes,
    bookingWindowDays: r.booking_window_days,
  };
}

/**
 * The slots hot path: one statement per request in the steady state (busy time, time off and the
 * scheduling version together), settings and session types from SlotSettingsCache, no entities.
 */
@Injectable()
export class SlotFinder {
  constructor(
    private readonly clock: Clock,
    private readonly busyTime: BusyTimeRegistry,
    private readonly repository: SchedulingRepository,
    private readonly cache: SlotSettingsCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Recent API answers by request, each kept SLOTS_ANSWER_MS (see slotsJson). */
  private readonly answers = new Map<string, { json: Promise<string>; until: number }>();

  async slots(slug: string, from: string, to: string, timeZone?: string): Promise<SlotsOutDto> {
    const found = await this.find(slug, from, to, timeZone);
    return {
      timeZone: found.timeZone,
      slots: found.slots.map((s) => ({ start: isoInstant(s.start), end: isoInstant(s.end) })),
    };
  }

  /**
   * The same answer as `slots`, as the JSON text JSON.stringify would make of it, built without
   * an object per slot (the API's hot path; ISO instants need no escaping).
   */
  async slotsJson(slug: string, from: string, to: string, timeZone?: string): Promise<string> {
    // The same request within SLOTS_ANSWER_MS is answered from memory: a slot list is a moment's
    // view anyway (two visitors may see the same time; the booking itself is checked by the
    // database and the loser gets 409), and a popular page then costs no statement per visitor.
    const ttl = this.config.slotsAnswerMs;
    if (ttl === 0) return this.buildJson(slug, from, to, timeZone);
    const key = `${slug}\n${from}\n${to}\n${timeZone ?? ''}`;
    const now = Date.now();
    const kept = this.answers.get(key);
    if (kept && kept.until > now) return kept.json;
    // Concurrent requests for the same answer share one computation.
    const json = this.buildJson(slug, from, to, timeZone);
    this.answers.delete(key);
    if (this.answers.size >= MAX_ANSWERS) {
      for (const [k, a] of this.answers) if (a.until <= now) this.answers.delete(k);
      if (this.answers.size >= MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    }
    const entry = { json, until: now + ttl };
    this.answers.set(key, entry);
    json.catch(() => {
      if (this.answers.get(key) === entry) this.answers.delete(key);
    });
    return json;
  }

  private async buildJson(
    slug: string,
    from: string,
    to: string,
    timeZone?: string,
  ): Promise<string> {
    const found = await this.find(slug, from, to, timeZone);
    let json = `{"timeZone":${JSON.stringify(found.timeZone)},"slots":[`;
    found.slots.forEach((s, i) => {
      json += `${i ? ',' : ''}{"start":"${isoInstant(s.start)}","end":"${isoInstant(s.end)}"}`;
    });
    return `${json}]}`;
  }

  private async find(
    slug: string,
    from: string,
    to: string,
    timeZone?: string,
  ): Promise<{ timeZone: string; slots: Slot[] }> {
    if (typeof slug !== 'string' || slug.length > 80) throw notFound('Session type');
    for (let attempt = 1; ; attempt++) {
      const { type, settings } = await this.typeAndSettings(slug);
      const zone = timeZone ?? settings.timeZone;
      if (!isValidTimeZone(zone))
        throw validationFailed({ timeZone: ['timeZone must be a known IANA time zone'] });
      checkDates(from, to);
      const window = localDateWindow(from, to, zone);
      const found = await this.offered(type, settings, window, true);
      if (found.current || attempt >= ATTEMPTS) return { timeZone: zone, slots: found.slots };
    }
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
    m?: EntityManager,
  ): Promise<boolean> {
    const ms = start.getTime();
    for (let attempt = 1; ; attempt++) {
      let settings = this.cache.coachSettings(type.coachId);
      if (!settings) {
        const { version, row } = await this.repository.settingsWithVersion(type.coachId, m);
        settings = slotSettingsFromRow(row ?? {});
        this.cache.keep(version, type.coachId, settings);
      }
      const window = { start: ms, end: ms + 1 };
      const found = await this.offered(type, settings, window, withSessions, m);
      if (found.current || attempt >= ATTEMPTS) return found.slots.some((s) => s.start === ms);
    }
  }

  /**
   * What booking a start needs from scheduling, in one round trip in the steady state: the
   * active session type by slug, the coach's settings and whether the start is offered (Mend's
   * own bookings aside: see isOffered). The type and settings come from the cache when the
   * offered check's statement saw no change of the scheduling version since they were read;
   * otherwise they are read again (at most ATTEMPTS times).
   */
  async bookable(
    slug: string,
    start: Date,
  ): Promise<{ type: SessionTypeRecord; settings: SlotSettings; offered: boolean }> {
    if (typeof slug !== 'string' || slug.length > 80) throw notFound('Session type');
    for (let attempt = 1; ; attempt++) {
      const before = this.cache.currentVersion;
      const cached = this.cache.record(slug);
      const type = cached ?? (await this.repository.activeSessionTypeBySlug(slug));
      if (!type) throw notFound('Session type');
      const offered = await this.isOffered(type, start, false);
      const current = this.cache.currentVersion === before && before !== -1;
      if (current && !cached) this.cache.keepRecord(before, slug, type);
      const settings = current ? this.cache.coachSettings(type.coachId) : undefined;
      if (settings) return { type, settings, offered };
      if (attempt >= ATTEMPTS) {
        const { row } = await this.repository.settingsWithVersion(type.coachId);
        return { type, settings: slotSettingsFromRow(row ?? {}), offered };
      }
    }
  }

  private async typeAndSettings(slug: string): Promise<{ type: SlotType; settings: SlotSettings }> {
    const type = this.cache.type(slug);
    const settings = type && this.cache.coachSettings(type.coachId);
    if (type && settings) return { type, settings };
    const { version, row } = await this.repository.slotTypeBySlug(slug);
    if (!row) {
      this.cache.observe(version);
      throw notFound('Session type');
    }
    const fresh = { type: slotTypeFromRow(row), settings: slotSettingsFromRow(row) };
    this.cache.keep(version, fresh.type.coachId, fresh.settings, slug, fresh.type);
    return fresh;
  }

  /** The offered slots, and whether the settings used were current when busy time was read. */
  private async offered(
    type: SlotType,
    s: SlotSettings,
    window: InstantRange,
    withSessions: boolean,
    m?: EntityManager,
  ): Promise<{ slots: Slot[]; current: boolean }> {
    const now = this.clock.now();
    const sources = this.busyTime.sources(withSessions ? ['sessions', 'blocks'] : ['blocks']);
    const busy = await this.repository.busyInWindow(
      m,
      sources.map((src) => ({ kind: src.kind, sql: src.busyRangesSql() })),
      type.coachId,
      new Date(window.start - 2 * DAY),
      new Date(window.end + 2 * DAY),
      now,
    );
    const current = this.cache.observe(busy.version);
    const bookings: ExistingBooking[] = [];
    const blocks: InstantRange[] = [];
    sources.forEach((src, i) => {
      for (const r of busy.sources[i]) {
        if (src.kind === 'sessions')
          bookings.push({ start: r.sessionStart ?? r.start, busyStart: r.start, busyEnd: r.end });
        else blocks.push({ start: r.start, end: r.end });
      }
    });
    const slots = computeSlots({
      coachTimeZone: s.timeZone,
      weekly: s.weekly,
      overrides: s.overrides,
      rules: type,
      window,
      now: now.getTime(),
      timeOff: busy.timeOff,
      bookings,
      blocks,
      maxSessionsPerDay: withSessions ? s.maxSessionsPerDay : null,
    });
    return { slots, current };
  }
}

/** `from` and `to` are real dates, `to` not before `from` and at most 62 days after it. */
function checkDates(from: string, to: string): void {
  const problems: Record<string, string[]> = {};
  const f = parseDateOnly(from);
  const t = parseDateOnly(to);
  if (f === null) problems.from = ['from must be a date YYYY-MM-DD'];
  if (t === null) problems.to = ['to must be a date YYYY-MM-DD'];
  if (f !== null && t !== null) {
    if (t < f) problems.to = ['to must not be before from'];
    else if (t - f > 62) problems.to = ['to must be at most 62 days after from'];
  }
  if (Object.keys(problems).length) throw validationFailed(problems);
}
