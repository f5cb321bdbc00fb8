import { Temporal } from 'temporal-polyfill';
import { formatDate, formatLocalDay, formatShort } from '../common/dates';
import { formatDayIntervals } from './availability-form';

/**
 * The "Days off" page in one list: time off (whole days, or times set through the API) and dates
 * with different hours (overrides), soonest first, in the coach's zone.
 */
export interface DayOffItem {
  kind: 'time-off' | 'override';
  /** Time-off id, or the override's date. */
  key: string;
  sortKey: string;
  label: string;
  detail: string;
  reason: string | null;
}

const isMidnight = (z: Temporal.ZonedDateTime) => z.hour === 0 && z.minute === 0 && z.second === 0;

export function daysOffView(
  zone: string,
  timeOff: { id: string; start: string; end: string; reason: string | null }[],
  overrides: { date: string; intervals: { start: string; end: string }[] }[],
): DayOffItem[] {
  const items: DayOffItem[] = timeOff.map((t) => {
    const start = Temporal.Instant.from(t.start).toZonedDateTimeISO(zone);
    const end = Temporal.Instant.from(t.end).toZonedDateTimeISO(zone);
    let label: string;
    let detail: string;
    if (isMidnight(start) && isMidnight(end)) {
      const last = end.toPlainDate().subtract({ days: 1 });
      const first = formatLocalDay(start.toPlainDate().toString());
      label = last.equals(start.toPlainDate())
        ? first
        : `${first} to ${formatLocalDay(last.toString())}`;
      detail = last.equals(start.toPlainDate()) ? 'Day off' : 'Days off';
      if (last.year !== start.year || start.year !== Temporal.Now.plainDateISO(zone).year)
        label += ` ${last.year}`;
    } else {
      label = `${formatShort(t.start, zone)} to ${formatShort(t.end, zone)}`;
      detail = 'Time off';
    }
    return { kind: 'time-off', key: t.id, sortKey: t.start, label, detail, reason: t.reason };
  });
  for (const o of overrides) {
    const noon = Temporal.PlainDate.from(o.date).toZonedDateTime({
      timeZone: zone,
      plainTime: '12:00',
    });
    items.push({
      kind: 'override',
      key: o.date,
      sortKey: noon.toInstant().toString(),
      label: formatDate(noon.toInstant().toString(), zone),
      detail: o.intervals.length
        ? `Only ${formatDayIntervals(o.intervals)} (instead of the weekly hours)`
        : 'Day off',
      reason: null,
    });
  }
  return items.sort((a, b) => a.sortKey.localeCompare(b.sortKey));
}

/** Whole days from `from` to `until` (inclusive) in the zone, as instants for the API. */
export function wholeDays(
  zone: string,
  from: string,
  until: string,
): { start: string; end: string } {
  const first = Temporal.PlainDate.from(from, { overflow: 'reject' });
  const last = Temporal.PlainDate.from(until || from, { overflow: 'reject' });
  const start = first.toZonedDateTime({ timeZone: zone }).toInstant().toString();
  const end = last.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant().toString();
  return { start, end };
}
