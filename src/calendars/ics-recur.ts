import ICAL from 'ical.js';

/**
 * The recurrence rules people keep by far the most — DAILY or WEEKLY, with INTERVAL, plain BYDAY
 * weekdays, WKST, UNTIL or COUNT — expanded with integer day arithmetic instead of ical.js's
 * general iterator (which builds several objects per instance: most of a sync's time on a feed
 * with a long booking horizon). Same answers as ical.js (ics-recur.spec.ts checks them against it),
 * plus DTSTART, which is always busy (as Mend has always read a series); later instances come
 * from the rule and are strictly after DTSTART. Anything else (BYMONTHDAY, BYSETPOS, ordinals, RDATE,
 * MONTHLY…) is left to ical.js. Times are wall-clock milliseconds (the wall time's fields read as
 * UTC); `toInstant` turns one into a real instant (for a UTC UNTIL).
 */
export interface SimpleSeries {
  freq: 'DAILY' | 'WEEKLY';
  interval: number;
  count: number | null;
  /** UNTIL written in UTC: compared with each instance's instant. */
  untilInstant: number | null;
  /** UNTIL written as a floating date-time or a date (its whole day): compared with wall times. */
  untilWall: number | null;
  /** BYDAY weekdays, 0 = Sunday; null = none given. */
  days: number[] | null;
  /** The week's first day, 0 = Sunday (RFC default: Monday). */
  wkst: number;
}

const DAY = 86_400_000;
const WEEKDAYS: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

/** 0 = Sunday, for a day number since 1970-01-01 (a Thursday). */
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

const wallOf = (t: ICAL.Time): number =>
  Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

/** The series' rule when it is one this module expands, else null. */
export function simpleSeries(v: ICAL.Component): SimpleSeries | null {
  if (v.hasProperty('rdate') || v.hasProperty('exrule')) return null;
  const rrules = v.getAllProperties('rrule');
  if (rrules.length !== 1) return null;
  const rule = rrules[0].getFirstValue() as ICAL.Recur;
  if (rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY') return null;
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  if (Object.keys(parts).some((p) => p !== 'BYDAY')) return null;
  let days: number[] | null = null;
  if (parts.BYDAY) {
    days = [];
    for (const d of parts.BYDAY) {
      const n = WEEKDAYS[String(d)];
      if (n === undefined) return null; // an ordinal (1MO, -1FR): not ours
      if (!days.includes(n)) days.push(n);
    }
  }
  const until = rule.until;
  const untilUtc = !!until && !until.isDate && until.zone === ICAL.Timezone.utcTimezone;
  return {
    freq: rule.freq,
    interval: rule.interval > 0 ? rule.interval : 1,
    count: rule.count && rule.count > 0 ? rule.count : null,
    untilInstant: until && untilUtc ? wallOf(until) : null,
    untilWall: until && !untilUtc ? (until.isDate ? wallOf(until) + DAY - 1 : wallOf(until)) : null,
    days,
    wkst: typeof rule.wkst === 'number' && rule.wkst >= 1 && rule.wkst <= 7 ? rule.wkst - 1 : 1,
  };
}

/**
 * Calls `each(wall)` for every instance with a wall time in [firstWall, lastWall], in order, the
 * series starting at `startWall` (its DTSTART). Without a COUNT, the weeks or days before
 * `firstWall` are skipped by arithmetic rather than walked.
 */
export function expandSeries(
  s: SimpleSeries,
  startWall: number,
  window: { firstWall: number; lastWall: number },
  toInstant: (wall: number) => number,
  each: (wall: number) => void,
): void {
  let n = 0;
  /** False when the series has ended (COUNT, UNTIL, or past the window). */
  const offer = (wall: number): boolean => {
    if (s.count !== null && n >= s.count) return false;
    if (s.untilWall !== null && wall > s.untilWall) return false;
    if (s.untilInstant !== null && toInstant(wall) > s.untilInstant) return false;
    n++;
    if (wall > window.lastWall) return false;
    if (wall >= window.firstWall) each(wall);
    return true;
  };
  const startDay = Math.floor(startWall / DAY);
  const timeOfDay = startWall - startDay * DAY;
  // DTSTART is always busy; it counts towards COUNT only when the rule itself gives it (ical.js
  // leaves a DTSTART outside a WEEKLY rule's BYDAY out of the series, and Mend adds it back).
  if (s.freq === 'DAILY' || !s.days || s.days.includes(weekdayOf(startDay))) n = 1;
  if (startWall >= window.firstWall && startWall <= window.lastWall) each(startWall);
  const skipTo = (periodDays: number, firstDay: number): number =>
    s.count === null
      ? Math.max(0, Math.floor((window.firstWall - firstDay * DAY) / (periodDays * DAY)) - 1)
      : 0;
  if (s.freq === 'DAILY') {
    for (let k = Math.max(1, skipTo(s.interval, startDay)), misses = 0; misses < 7; k++) {
      const day = startDay + k * s.interval;
      // (INTERVAL=7;BYDAY=MO from a Tuesday never matches: stop rather than loop)
      if (s.days && !s.days.includes(weekdayOf(day))) misses++;
      else if (!offer(day * DAY + timeOfDay)) return;
      else misses = 0;
    }
    return;
  }
  const offsets = (s.days ?? [weekdayOf(startDay)])
    .map((d) => (d - s.wkst + 7) % 7)
    .sort((a, b) => a - b);
  const firstWeek = startDay - ((weekdayOf(startDay) - s.wkst + 7) % 7);
  for (let k = skipTo(7 * s.interval, firstWeek); ; k++) {
    const weekStart = firstWeek + 7 * s.interval * k;
    for (const offset of offsets) {
      const day = weekStart + offset;
      if (day <= startDay) continue;
      if (!offer(day * DAY + timeOfDay)) return;
    }
  }
}
