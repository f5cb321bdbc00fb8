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

export function formatDate(iso: string | null, timeZone: string | null): string | null {
  if (!iso) return null;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-GB', { ...DATE_OPTIONS, timeZone: timeZone ?? 'UTC' });
  } catch {
    fmt = new Intl.DateTimeFormat('en-GB', { ...DATE_OPTIONS, timeZone: 'UTC' });
  }
  return fmt.format(new Date(iso));
}
