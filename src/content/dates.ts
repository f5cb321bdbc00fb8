const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

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
