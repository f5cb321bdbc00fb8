import { Temporal } from 'temporal-polyfill';
import { DEFAULT_LOCALE, formatLocalDay, formatTime, formatWhen } from '../common/dates';

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
];

export function zonesWith(zone: string): string[] {
  return COMMON_ZONES.includes(zone) ? COMMON_ZONES : [zone, ...COMMON_ZONES];
}

/** "16:40" (en-GB) or "4:40 PM" (en-US) in a zone. */
export function timeIn(iso: string, zone: string, locale = DEFAULT_LOCALE): string {
  return formatTime(iso, zone, locale);
}

/** A local date as a heading: "Tuesday 8 December" (en-GB) or "Tuesday, December 8" (en-US). */
export function dayLabel(date: string, locale = DEFAULT_LOCALE): string {
  return formatLocalDay(date, locale);
}

/** "Tuesday 8 December 2026 at 16:40 GMT" in the reader's zone and language. */
export function whenIn(iso: string, zone: string, locale = DEFAULT_LOCALE): string {
  return formatWhen(iso, zone, locale);
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
export function groupByDay(
  slots: { start: string }[],
  zone: string,
  locale = DEFAULT_LOCALE,
): DayOfSlots[] {
  const days = new Map<string, DayOfSlots>();
  for (const s of slots) {
    const date = Temporal.Instant.from(s.start).toZonedDateTimeISO(zone).toPlainDate().toString();
    let d = days.get(date);
    if (!d) {
      d = { date, label: dayLabel(date, locale), times: [] };
      days.set(date, d);
    }
    d.times.push({ start: s.start, label: timeIn(s.start, zone, locale) });
  }
  return [...days.values()];
}

const icsStamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * "Add to Google Calendar / Outlook" links for the done and manage pages (Apple and others take
 * the .ics). They carry the meeting place, so they are only on pages behind the manage link.
 */
export function calendarLinks(b: {
  start: string;
  end: string;
  sessionTypeName: string;
  manageUrl?: string;
  meeting?: { location: string } | null;
}): { google: string; outlook: string } {
  const details = [
    b.meeting ? `Where: ${b.meeting.location}` : '',
    b.manageUrl ? `Manage or cancel: ${b.manageUrl}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const google = new URLSearchParams({
    action: 'TEMPLATE',
    text: b.sessionTypeName,
    dates: `${icsStamp(b.start)}/${icsStamp(b.end)}`,
    details,
    ...(b.meeting ? { location: b.meeting.location } : {}),
  });
  const outlook = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: b.sessionTypeName,
    startdt: b.start,
    enddt: b.end,
    body: details,
    ...(b.meeting ? { location: b.meeting.location } : {}),
  });
  return {
    google: `https://calendar.google.com/calendar/render?${google.toString()}`,
    outlook: `https://outlook.live.com/calendar/0/deeplink/compose?${outlook.toString()}`,
  };
}

export interface MonthCell {
  date: string;
  day: number;
  /** Open times that day (0: nothing to book). */
  count: number;
  label: string;
}

/** The month's weeks (Monday first) for the booking page's month view; null cells pad the edges. */
export function monthGrid(
  month: string,
  days: DayOfSlots[],
  locale = DEFAULT_LOCALE,
): (MonthCell | null)[][] {
  const first = Temporal.PlainDate.from(`${month}-01`);
  const counts = new Map(days.map((d) => [d.date, d.times.length]));
  const weeks: (MonthCell | null)[][] = [];
  let week: (MonthCell | null)[] = Array.from({ length: first.dayOfWeek - 1 }, () => null);
  for (let d = first; d.month === first.month; d = d.add({ days: 1 })) {
    const date = d.toString();
    week.push({ date, day: d.day, count: counts.get(date) ?? 0, label: dayLabel(date, locale) });
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  return weeks;
}

export function monthLabel(month: string, locale = DEFAULT_LOCALE): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${month}-15T12:00:00Z`));
}

export function addMonths(month: string, n: number): string {
  return Temporal.PlainYearMonth.from(month).add({ months: n }).toString();
}
