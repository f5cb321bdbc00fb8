/** Small formatting helpers for the program's pages (money in minor units, dates in a zone). */
export function formatMoney(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  try {
    const fmt = new Intl.NumberFormat('en', { style: 'currency', currency: code });
    const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
    return fmt.format(minor / 10 ** digits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${code}`;
  }
}

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
