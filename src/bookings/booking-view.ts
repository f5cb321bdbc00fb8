import { Temporal } from 'temporal-polyfill';

/** Presentation helpers for the booking pages (times in the reader's zone). */

export const COMMON_ZONES = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
  'UTC',
];

export function zonesWith(zone: string): string[] {
  return COMMON_ZONES.includes(zone) ? COMMON_ZONES : [zone, ...COMMON_ZONES];
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "9:00 AM" in a zone (one cached formatter per zone: building them is the slow part). */
export function timeIn(iso: string, zone: string): string {
  let f = timeFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit' });
    if (timeFormats.size < 1000) timeFormats.set(zone, f);
  }
  return f.format(new Date(iso));
}

export function dayLabel(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

export function whenIn(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

export function todayIn(zone: string, now: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(zone)
    .toPlainDate()
    .toString();
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

export interface DayOfSlots {
  date: string;
  label: string;
  times: { start: string; label: string }[];
}

/** Groups slots by their local date in `zone`. */
export function groupByDay(slots: { start: string }[], zone: string): DayOfSlots[] {
  const days = new Map<string, DayOfSlots>();
  for (const s of slots) {
    const date = Temporal.Instant.from(s.start).toZonedDateTimeISO(zone).toPlainDate().toString();
    let d = days.get(date);
    if (!d) {
      d = { date, label: dayLabel(date), times: [] };
      days.set(date, d);
    }
    d.times.push({ start: s.start, label: timeIn(s.start, zone) });
  }
  return [...days.values()];
}
