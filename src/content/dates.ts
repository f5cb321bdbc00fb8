import { Temporal } from 'temporal-polyfill';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "25 November 2026" from an ISO string or Date (UTC) — what Intl's en-GB long date gives, built
 * by hand: even a cached Intl.DateTimeFormat costs a few µs a call, which added up to ~5 % of a
 * post page's CPU with a few dozen comments (dates.spec.ts checks it matches Intl).
 */
export function longDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid time value');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * A `datetime-local` value ("2026-12-24T08:00") read as wall time in `zone` → the ISO instant,
 * or null when either is not valid. A time in a spring-forward gap moves later (Temporal's
 * `compatible`), as everywhere else in Mend.
 */
export function localToInstant(local: string, zone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  try {
    return Temporal.PlainDateTime.from(local)
      .toZonedDateTime(zone, { disambiguation: 'compatible' })
      .toInstant()
      .toString();
  } catch {
    return null;
  }
}

/** An instant as a `datetime-local` value in `zone` (minutes precision). */
export function instantToLocal(instant: string | Date, zone: string): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  return Temporal.Instant.from(iso)
    .toZonedDateTimeISO(zone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' });
}
