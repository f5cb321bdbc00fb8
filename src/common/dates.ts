/**
 * Dates and times for people, once: every page and mail formats instants through these
 * functions, in the reader's time zone and language. The language comes from `Accept-Language`
 * (`pickLocale`), limited to the English variants the pages are written in, with en-GB as the
 * default (day-month order, 24-hour clock); en-US readers get month-day and a 12-hour clock.
 * Formatters are cached per locale, zone and shape: building an Intl.DateTimeFormat is the slow part.
 */
export const DEFAULT_LOCALE = 'en-GB';
const SUPPORTED = ['en-GB', 'en-US', 'en-AU', 'en-CA', 'en-IE', 'en-NZ', 'en-IN', 'en-ZA'];

/** The best supported locale for an Accept-Language header ("en-US,en;q=0.9" → "en-US"). */
export function pickLocale(acceptLanguage: string | string[] | undefined | null): string {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
  const ranked = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.tag && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const exact = SUPPORTED.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    if (tag === 'en') return DEFAULT_LOCALE;
  }
  return DEFAULT_LOCALE;
}

type Shape = 'when' | 'date' | 'day' | 'time' | 'short' | 'shortZoned';
const SHAPES: Record<Shape, Intl.DateTimeFormatOptions> = {
  // "Tuesday, 8 December 2026 at 16:40 GMT"
  when: {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  },
  // "8 December 2026"
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  // "Tuesday 8 December"
  day: { weekday: 'long', day: 'numeric', month: 'long' },
  // "16:40" (en-GB) / "4:40 PM" (en-US)
  time: { hour: 'numeric', minute: '2-digit' },
  // "8 Dec 2026, 16:40"
  short: { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' },
  // "8 Jul 2026, 18:00 BST"
  shortZoned: {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  },
};

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(shape: Shape, zone: string, locale: string): Intl.DateTimeFormat {
  const key = `${shape}|${zone}|${locale}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...SHAPES[shape], timeZone: zone });
    } catch {
      f = new Intl.DateTimeFormat(DEFAULT_LOCALE, { ...SHAPES[shape], timeZone: 'UTC' });
    }
    if (cache.size < 2000) cache.set(key, f);
  }
  return f;
}

function toDate(value: string | Date): Date {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid time value');
  return date;
}

/** Full date and time with the zone's abbreviation: for confirmations, mails, manage pages. */
export function formatWhen(value: string | Date, zone: string, locale = DEFAULT_LOCALE): string {
  return formatter('when', zone, locale).format(toDate(value));
}

/** A calendar date of an instant, in a zone: "8 December 2026". */
export function formatDate(value: string | Date, zone: string, locale = DEFAULT_LOCALE): string {
  return formatter('date', zone, locale).format(toDate(value));
}

/** A short date and time (lists, tables): "8 Dec 2026, 16:40". */
export function formatShort(value: string | Date, zone: string, locale = DEFAULT_LOCALE): string {
  return formatter('short', zone, locale).format(toDate(value));
}

/** Time of day in a zone: "16:40" or "4:40 PM". */
export function formatTime(value: string | Date, zone: string, locale = DEFAULT_LOCALE): string {
  return formatter('time', zone, locale).format(toDate(value));
}

/** A local calendar date ("2026-12-08") as a heading: "Tuesday 8 December". */
export function formatLocalDay(isoDate: string, locale = DEFAULT_LOCALE): string {
  return formatter('day', 'UTC', locale).format(toDate(`${isoDate}T12:00:00Z`));
}

/** Whether a string is a time zone Intl knows (an IANA name). */
function knownZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An instant for a person whose zone may be unknown: with a zone, "8 Jul 2026, 18:00 BST"; without
 * one, only the date ("8 July 2026"), never a clock time in UTC that they would have to convert.
 */
export function formatMoment(
  value: string | Date | null | undefined,
  zone: string | null | undefined,
  locale = DEFAULT_LOCALE,
): string | null {
  if (!value) return null;
  return knownZone(zone)
    ? formatter('shortZoned', zone, locale).format(toDate(value))
    : formatDate(value, 'UTC', locale);
}
