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
  let month = MONTH.test(q.month ?? '') ? q.month! : (wanted ?? today).slice(0, 7);
  if (month < thisMonth) month = thisMonth;
  const first = `${month}-01`;
  const last = addDays(`${addMonths(month, 1)}-01`, -1);
  const days = groupByDay(await slotsBetween(first < today ? today : first, last), zone, locale);
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
