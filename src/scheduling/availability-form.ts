/**
 * The coach's availability pages as pure functions: weekly hours as rows of time pickers per day
 * (`day1-start-0`, `day1-end-0`, …; "Add hours" / "Remove" buttons reload the form without saving,
 * so it works without JavaScript), and the date overrides the "Days off" page adds and removes.
 * The API's shape (SPEC) is unchanged: these convert to and from it.
 */
import type { FieldSpecs, FormBody, RawErrors } from '../web/forms';

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
export const MAX_ROWS_PER_DAY = 6;

export interface HoursRow {
  start: string;
  end: string;
}
/** Seven days (Monday first), each with its rows of hours. */
export type WeekRows = HoursRow[][];

interface Weekly {
  weekday: number;
  start: string;
  end: string;
}
interface Override {
  date: string;
  intervals: { start: string; end: string }[];
}
export interface Availability {
  timeZone: string;
  weekly: Weekly[];
  overrides: Override[];
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A time picker can't say 24:00: midnight as an end time means the end of the day. */
const toPicker = (t: string) => (t === '24:00' ? '00:00' : t);
const fromPickerEnd = (t: string) => (t === '00:00' ? '24:00' : t);
/** Pickers may send seconds ("09:00:00") when a step is set. */
const hhmm = (t: string | undefined) => (t ?? '').trim().slice(0, 5);

export function rowsFromAvailability(weekly: Weekly[]): WeekRows {
  return WEEKDAYS.map((_, i) =>
    weekly
      .filter((w) => w.weekday === i + 1)
      .map((w) => ({ start: w.start, end: toPicker(w.end) })),
  );
}

/** The rows as the form sent them (blank rows kept, so the page shows what was typed). */
export function rowsFromBody(body: FormBody): WeekRows {
  return WEEKDAYS.map((_, d) => {
    const rows: HoursRow[] = [];
    for (let i = 0; i < MAX_ROWS_PER_DAY; i++) {
      const start = body[`day${d + 1}-start-${i}`];
      const end = body[`day${d + 1}-end-${i}`];
      if (start === undefined && end === undefined) continue;
      rows.push({ start: hhmm(start), end: hhmm(end) });
    }
    return rows;
  });
}

/** "Add hours" (`add=3`) or "Remove" (`remove=3-1`) pressed: the rows to show next, else null. */
export function rowAction(body: FormBody, rows: WeekRows): WeekRows | null {
  const next = rows.map((day) => [...day]);
  const add = /^([1-7])$/.exec(body.add ?? '');
  if (add) {
    const day = next[Number(add[1]) - 1];
    if (day.length < MAX_ROWS_PER_DAY) {
      const last = day[day.length - 1];
      day.push(
        last?.end && TIME.test(last.end)
          ? { start: '', end: '' }
          : { start: '09:00', end: '17:00' },
      );
    }
    return next;
  }
  const remove = /^([1-7])-(\d)$/.exec(body.remove ?? '');
  if (remove) {
    next[Number(remove[1]) - 1].splice(Number(remove[2]), 1);
    return next;
  }
  return null;
}

/** Field specs of the weekly form: one per row (its messages point at the row's end picker). */
export function weeklyFieldSpecs(rows: WeekRows): FieldSpecs {
  const specs: FieldSpecs = {
    timeZone:
      'Pick your city or region from the list (a fixed offset such as EST has no daylight saving).',
  };
  rows.forEach((day, d) => {
    const name = WEEKDAYS[d];
    specs[`day${d + 1}`] = {
      id: `day${d + 1}-start-0`,
      message: `${name}’s hours overlap: make each one end before the next starts.`,
    };
    day.forEach((_, i) => {
      specs[`day${d + 1}-start-${i}`] = `${name}: choose a start time, or remove these hours.`;
      specs[`day${d + 1}-end-${i}`] =
        `${name}: the end must be after the start (00:00 means midnight).`;
    });
  });
  return specs;
}

/**
 * Reads the rows into the API's weekly list. A row with both pickers empty is ignored; half a row
 * is an error on the missing side. `rowOf` maps the API's index of an interval within its day
 * back to the row it came from (for the service's messages).
 */
export function readWeeklyRows(rows: WeekRows): {
  weekly: Weekly[];
  errors: RawErrors;
  mapKey: (key: string) => string;
} {
  const weekly: Weekly[] = [];
  const errors: RawErrors = {};
  const rowOf = new Map<string, number>();
  rows.forEach((day, d) => {
    let n = 0;
    day.forEach((row, i) => {
      if (!row.start && !row.end) return;
      if (!TIME.test(row.start)) errors[`day${d + 1}-start-${i}`] = ['start is missing'];
      else if (!TIME.test(row.end)) errors[`day${d + 1}-end-${i}`] = ['end is missing'];
      else {
        rowOf.set(`${d + 1}.${n++}`, i);
        weekly.push({ weekday: d + 1, start: row.start, end: fromPickerEnd(row.end) });
      }
    });
  });
  const mapKey = (key: string): string => {
    const m = /^weekly\.weekday([1-7])(?:\.(\d+))?$/.exec(key);
    if (!m) return key;
    if (m[2] === undefined) return `day${m[1]}`;
    return `day${m[1]}-end-${rowOf.get(`${m[1]}.${m[2]}`) ?? 0}`;
  };
  return { weekly, errors, mapKey };
}

// ---- date overrides (the "Days off" page) ----

/** The availability with this date's override added (replacing one for the same date). */
export function withOverride(a: Availability, override: Override): Availability {
  return { ...a, overrides: [...a.overrides.filter((o) => o.date !== override.date), override] };
}

export function withoutOverride(a: Availability, date: string): Availability {
  return { ...a, overrides: a.overrides.filter((o) => o.date !== date) };
}

/** "10:00–12:00, 14:00–16:00", or "" for a day off. */
export function formatDayIntervals(intervals: { start: string; end: string }[]): string {
  return intervals.map((i) => `${i.start}–${i.end}`).join(', ');
}

/** Reads the "different hours on one date" form (date and time pickers). */
export function readOverrideForm(
  body: FormBody,
): { ok: true; value: Override } | { ok: false; errors: RawErrors } {
  const errors: RawErrors = {};
  const date = (body.date ?? '').trim();
  const start = hhmm(body.start);
  const end = hhmm(body.end);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.date = ['date is missing'];
  if (!TIME.test(start)) errors.start = ['start is missing'];
  if (!TIME.test(end)) errors.end = ['end is missing'];
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { date, intervals: [{ start, end: fromPickerEnd(end) }] } };
}
