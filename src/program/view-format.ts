/** Dates in a zone for the program's pages (money: src/common/money.ts). */
const DATE_OPTIONS: Intl.DateTimeFormatOptions = {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
};

/** Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone, kept (bounded by the IANA zones). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let fmt = dateFormats.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-GB', { ...DATE_OPTIONS, timeZone });
    } catch {
      return dateFormat('UTC');
    }
    dateFormats.set(timeZone, fmt);
  }
  return fmt;
}

export function formatDate(iso: string | null, timeZone: string | null): string | null {
  if (!iso) return null;
  return dateFormat(timeZone ?? 'UTC').format(new Date(iso));
}
