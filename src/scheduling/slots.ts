import { Temporal } from 'temporal-polyfill';
import { isIanaTimeZone } from '../common/time-zone';

/**
 * The slot engine: SPEC's three rules as a pure function (no Nest, no database, no clock).
 *
 * 1. Availability wall times are read in the coach's zone with Temporal's `compatible`
 *    disambiguation, giving each interval a start and an end instant.
 * 2. Candidates start at the interval's start instant and step by the slot interval of elapsed
 *    time while `start + duration ≤ interval end`.
 * 3. A candidate is offered iff it is inside availability, outside time off, respects minimum
 *    notice, the booking window and the daily limit, and its busy range overlaps no active
 *    booking's busy range and no busy range of the coach's other calendars (`blocks`).
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface WallInterval {
  /** "HH:MM", 00:00–23:59; an end of "24:00" means the next midnight. */
  start: string;
  end: string;
}

export interface WeeklyHours extends WallInterval {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

export interface DateOverride {
  /** A coach-local date, "YYYY-MM-DD"; its intervals replace the weekly hours (empty = day off). */
  date: string;
  intervals: WallInterval[];
}

export interface InstantRange {
  /** Epoch milliseconds, half-open [start, end). */
  start: number;
  end: number;
}

export interface ExistingBooking {
  start: number;
  busyStart: number;
  busyEnd: number;
}

export interface SlotRules {
  durationMinutes: number;
  /** Null means: step by the duration. */
  slotIntervalMinutes: number | null;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
}

export interface SlotQuery {
  coachTimeZone: string;
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  rules: SlotRules;
  /** Only slots starting in [windowStart, windowEnd) are returned. */
  window: InstantRange;
  now: number;
  timeOff: InstantRange[];
  /** Active bookings (confirmed or unexpired holds) near the window. */
  bookings: ExistingBooking[];
  /** Busy time from elsewhere (the coach's external calendars): no candidate's busy range may touch it. */
  blocks?: InstantRange[];
  /** Null = no limit. */
  maxSessionsPerDay: number | null;
}

export interface Slot {
  start: number;
  end: number;
}

/** Throws RangeError for a zone Temporal does not know. */
export function assertTimeZone(zone: string): void {
  Temporal.Now.instant().toZonedDateTimeISO(zone);
}

/** An IANA zone name (no offsets, no legacy fixed-offset names): the one rule, in common/time-zone.ts. */
export const isValidTimeZone = (zone: string): boolean => isIanaTimeZone(zone);

/** Minutes since midnight of "HH:MM" (24:00 allowed). */
export function wallMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Rule 1: the instant of a coach-local wall time, `compatible` disambiguation. */
// Zone rules don't change while the process runs, so every conversion below can be remembered
// (profiles of the slots endpoint showed Temporal's zone arithmetic as its largest single cost).
// Each memo is exact (keyed by its whole input) and bounded.
const MEMO_MAX = 100_000;
const resolved = new Map<string, number>();
const localDates = new Map<string, string>();
const dayStarts = new Map<string, number>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, value);
  return value;
}

export function wallToInstant(date: Temporal.PlainDate, hhmm: string, zone: string): number {
  return wallTimeOn(date.toString(), hhmm, zone);
}

/** wallToInstant by the date's "YYYY-MM-DD" (no PlainDate unless the memo misses). */
function wallTimeOn(date: string, hhmm: string, zone: string): number {
  const key = `${zone}|${date}|${hhmm}`;
  return (
    resolved.get(key) ??
    remember(resolved, key, resolveWallTime(Temporal.PlainDate.from(date), hhmm, zone))
  );
}

function resolveWallTime(date: Temporal.PlainDate, hhmm: string, zone: string): number {
  const minutes = wallMinutes(hhmm);
  const day = minutes >= 24 * 60 ? date.add({ days: 1 }) : date;
  const m = minutes % (24 * 60);
  const pdt = day.toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 });
  return pdt.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/** The coach-local date ("YYYY-MM-DD") of an instant. */
export function localDate(epochMs: number, zone: string): string {
  const key = `${zone}|${epochMs}`;
  return (
    localDates.get(key) ??
    remember(
      localDates,
      key,
      Temporal.Instant.fromEpochMilliseconds(epochMs)
        .toZonedDateTimeISO(zone)
        .toPlainDate()
        .toString(),
    )
  );
}

/** The instant a local date begins in a zone (the first existing wall time of that day). */
export function startOfLocalDate(date: string, zone: string): number {
  const key = `${zone}|${date}`;
  return (
    dayStarts.get(key) ??
    remember(
      dayStarts,
      key,
      Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }).epochMilliseconds,
    )
  );
}

/** The instant range of local dates `from`..`to` (inclusive) in a zone. */
export function localDateWindow(from: string, to: string, zone: string): InstantRange {
  return { start: startOfLocalDate(from, zone), end: startOfLocalDate(nextDate(to), zone) };
}

/** "YYYY-MM-DD" of a day number (days since 1970-01-01, UTC), e.g. 0 → "1970-01-01". */
const dateNames = new Map<number, string>();
function dateOfDay(day: number): string {
  let name = dateNames.get(day);
  if (name === undefined) {
    name = Temporal.PlainDate.from('1970-01-01').add({ days: day }).toString();
    if (dateNames.size >= MEMO_MAX) dateNames.clear();
    dateNames.set(day, name);
  }
  return name;
}

function nextDate(date: string): string {
  return Temporal.PlainDate.from(date).add({ days: 1 }).toString();
}

/** The availability intervals (as instants) of one coach-local date. */
export function intervalsOfDate(
  date: Temporal.PlainDate,
  q: Pick<SlotQuery, 'coachTimeZone' | 'weekly' | 'overrides'>,
): InstantRange[] {
  return intervalsOn(date.toString(), date.dayOfWeek, q);
}

function intervalsOn(
  key: string,
  weekday: number,
  q: Pick<SlotQuery, 'coachTimeZone' | 'weekly' | 'overrides'>,
): InstantRange[] {
  const override = q.overrides.find((o) => o.date === key);
  const wall = override ? override.intervals : q.weekly.filter((w) => w.weekday === weekday);
  return wall.map((w) => ({
    start: wallTimeOn(key, w.start, q.coachTimeZone),
    end: wallTimeOn(key, w.end, q.coachTimeZone),
  }));
}

/** Sorted, merged copy of ranges, for binary-searched overlap tests. */
function merged(ranges: InstantRange[]): InstantRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: InstantRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Does [start, end) overlap any of the merged, sorted ranges? */
export function overlapsAny(sorted: InstantRange[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  // First range whose end is after `start`.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].start < end;
}

export function busyRange(
  start: number,
  end: number,
  rules: Pick<SlotRules, 'bufferBeforeMinutes' | 'bufferAfterMinutes'>,
): InstantRange {
  return {
    start: start - rules.bufferBeforeMinutes * MINUTE,
    end: end + rules.bufferAfterMinutes * MINUTE,
  };
}

/** Every offered slot starting inside the window, ascending, without duplicates. */
export function computeSlots(q: SlotQuery): Slot[] {
  const { rules } = q;
  const duration = rules.durationMinutes * MINUTE;
  const step = (rules.slotIntervalMinutes ?? rules.durationMinutes) * MINUTE;
  const earliest = Math.max(q.window.start, q.now + rules.minimumNoticeMinutes * MINUTE);
  const latest = Math.min(q.window.end, q.now + rules.bookingWindowDays * DAY);
  if (earliest >= latest) return [];

  const timeOff = merged(q.timeOff);
  const busy = merged([
    ...q.bookings.map((b) => ({ start: b.busyStart, end: b.busyEnd })),
    ...(q.blocks ?? []),
  ]);
  const perDay = new Map<string, number>();
  if (q.maxSessionsPerDay !== null) {
    for (const b of q.bookings) {
      const d = localDate(b.start, q.coachTimeZone);
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
    }
  }

  // Coach-local dates whose intervals can reach into the window: the UTC dates of its ends and
  // two days either side (more than any zone offset plus an interval ending at 24:00). Days are
  // counted as numbers since 1970-01-01; 1970-01-01 was a Thursday (ISO weekday 4).
  const firstDay = Math.floor(earliest / DAY) - 2;
  const lastDay = Math.floor(latest / DAY) + 2;
  const seen = new Set<number>();
  const out: Slot[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = ((((day + 3) % 7) + 7) % 7) + 1;
    for (const interval of intervalsOn(dateOfDay(day), weekday, q)) {
      for (let start = interval.start; start + duration <= interval.end; start += step) {
        if (start < earliest || start >= latest || seen.has(start)) continue;
        const end = start + duration;
        if (overlapsAny(timeOff, start, end)) continue;
        const b = busyRange(start, end, rules);
        if (overlapsAny(busy, b.start, b.end)) continue;
        if (
          q.maxSessionsPerDay !== null &&
          (perDay.get(localDate(start, q.coachTimeZone)) ?? 0) >= q.maxSessionsPerDay
        )
          continue;
        seen.add(start);
        out.push({ start, end });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
