import { Temporal } from 'temporal-polyfill';
import { DateOverride, isValidTimeZone, WallInterval, wallMinutes, WeeklyHours } from './slots';

/**
 * Checks weekly hours and overrides: each interval ends after it starts, intervals of one day
 * don't overlap, dates are real and appear once, the zone is known. Returns per-field messages.
 */
export function availabilityProblems(
  timeZone: string,
  weekly: WeeklyHours[],
  overrides: DateOverride[],
): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (field: string, msg: string) => (problems[field] ??= []).push(msg);
  if (!isValidTimeZone(timeZone)) add('timeZone', 'timeZone must be a known IANA time zone');
  const checkDay = (field: string, intervals: WallInterval[]) => {
    intervals.forEach((iv, i) => {
      if (wallMinutes(iv.end) <= wallMinutes(iv.start))
        add(`${field}.${i}`, 'end must be after start');
      if (iv.start === '24:00') add(`${field}.${i}`, 'start must be before 24:00');
    });
    const sorted = [...intervals].sort((a, b) => wallMinutes(a.start) - wallMinutes(b.start));
    for (let i = 1; i < sorted.length; i++) {
      if (wallMinutes(sorted[i].start) < wallMinutes(sorted[i - 1].end))
        add(field, 'intervals of one day must not overlap');
    }
  };
  for (let day = 1; day <= 7; day++)
    checkDay(
      `weekly.weekday${day}`,
      weekly.filter((w) => w.weekday === day),
    );
  const seen = new Set<string>();
  overrides.forEach((o, i) => {
    try {
      Temporal.PlainDate.from(o.date, { overflow: 'reject' });
    } catch {
      add(`overrides.${i}.date`, 'date must be a real calendar date');
    }
    if (seen.has(o.date)) add(`overrides.${i}.date`, 'each date may have one override');
    seen.add(o.date);
    checkDay(`overrides.${i}.intervals`, o.intervals);
  });
  return problems;
}
