import { SessionTypeOutDto } from './dto/session-type.dto';
import { SessionType } from './session-type.entity';
import { DateOverride, WeeklyHours } from './slots';

/** Row shapes and mappings of the scheduling tables (raw SQL on the slots hot path). */

/** A session type as answered; the meeting's link or address only to the coach. */
export function toSessionTypeDto(s: SessionType, forCoach = false): SessionTypeOutDto {
  return {
    id: s.id,
    name: s.name,
    slug: s.slug,
    description: s.description,
    durationMinutes: s.durationMinutes,
    price: s.price,
    currency: s.currency,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    minimumNoticeMinutes: s.minimumNoticeMinutes,
    bookingWindowDays: s.bookingWindowDays,
    slotIntervalMinutes: s.slotIntervalMinutes,
    location: s.location,
    active: s.active,
    meeting:
      forCoach && s.meetingValue !== null
        ? { kind: s.meetingKind, value: s.meetingValue }
        : { kind: s.meetingKind },
    intakeQuestions: s.intakeQuestions.map((q) => ({
      id: q.id,
      label: q.label,
      kind: q.kind,
      ...(q.kind === 'choice' ? { options: q.options ?? [] } : {}),
      required: q.required,
    })),
  };
}

export const SETTINGS_COLUMNS = `s.display_name, s.time_zone, s.weekly, s.overrides, s.cancellation_notice_hours, s.max_sessions_per_day`;

export interface SettingsRow {
  display_name: string;
  time_zone: string;
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  cancellation_notice_hours: number;
  max_sessions_per_day: number | null;
}

export interface TypeRow {
  coach_id: string;
  duration_minutes: number;
  slot_interval_minutes: number | null;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  minimum_notice_minutes: number;
  booking_window_days: number;
}

/** What slot computation needs of a session type. */
export type SlotType = Pick<
  SessionType,
  | 'coachId'
  | 'durationMinutes'
  | 'slotIntervalMinutes'
  | 'bufferBeforeMinutes'
  | 'bufferAfterMinutes'
  | 'minimumNoticeMinutes'
  | 'bookingWindowDays'
>;

export function settingsFromRow(coachId: string, r: SettingsRow): SchedulingSettings {
  return {
    coachId,
    displayName: r.display_name,
    timeZone: r.time_zone,
    weekly: r.weekly,
    overrides: r.overrides,
    cancellationNoticeHours: r.cancellation_notice_hours,
    maxSessionsPerDay: r.max_sessions_per_day,
  };
}

/** A coach's settings as the rest of the app sees them (defaults when never saved). */
export interface SchedulingSettings {
  coachId: string;
  displayName: string;
  timeZone: string;
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  cancellationNoticeHours: number;
  maxSessionsPerDay: number | null;
}
