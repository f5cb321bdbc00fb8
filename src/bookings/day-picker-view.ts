import { isCalendarDate } from '../common/calendar-date';
import {
  addDays,
  addMonths,
  DayOfSlots,
  groupByDay,
  monthGrid,
  monthLabel,
  todayIn,
} from './booking-view';

/** The day/time picker's month, shared by booking and moving a booking. */
export interface Picker {
  days: DayOfSlots[];
  selected: DayOfSlots | null;
  month: string;
  monthLabel: string;
  weeks: ReturnType<typeof monthGrid>;
  weekdays: string[];
  nextMonth: string;
  previousMonth: string | null;
}

/** What the picker reads from the page's query: the month shown and the day wanted. */
export interface PickerQuery {
  month?: string;
  date?: string;
  from?: string;
}

/** Loads a type's open times between two local dates (inclusive) in a zone. */
export type SlotsBetween = (from: string, to: string) => Promise<{ start: string }[]>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * One month of open times in `zone` (never before today), with the wanted day selected, else the
 * first day with times, so the first page already shows times.
 */
export async function dayPicker(
  slotsBetween: SlotsBetween,
  zone: string,
  now: Date,
  q: PickerQuery,
  locale: string,
): Promise<Picker> {
  const today = todayIn(zone, now);
  const wanted = isCalendarDate(q.date) ? q.date : isCalendarDate(q.from) ? q.from : null;
  const thisMonth = today.slice(0, 7);
  const asked = MONTH.test(q.month ?? '');
  let month = asked ? q.month! : (wanted ?? today).slice(0, 7);
  if (month < thisMonth) month = thisMonth;
  const daysOf = async (m: string) => {
    const first = `${m}-01`;
    const last = addDays(`${addMonths(m, 1)}-01`, -1);
    return groupByDay(await slotsBetween(first < today ? today : first, last), zone, locale);
  };
  let days = await daysOf(month);
  // At the end of a month (or inside a long notice) this month may have no time left: when no
  // month or day was asked for, the first page shows the next month's instead.
  if (days.length === 0 && !asked && !wanted) {
    const next = await daysOf(addMonths(month, 1));
    if (next.length > 0) {
      month = addMonths(month, 1);
      days = next;
    }
  }
  return {
    days,
    selected: days.find((d) => d.date === wanted) ?? days[0] ?? null,
    month,
    monthLabel: monthLabel(month, locale),
    weeks: monthGrid(month, days, locale),
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    nextMonth: addMonths(month, 1),
    previousMonth: month > thisMonth ? addMonths(month, -1) : null,
  };
}
