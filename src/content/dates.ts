// One formatter, built once: toLocaleDateString with options builds a new Intl formatter on every
// call (~60 µs), which is most of a post page's render time with a few dozen comments.
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "25 November 2026" from an ISO string or Date (UTC). */
export function longDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  return LONG_DATE.format(typeof value === 'string' ? new Date(value) : value);
}
