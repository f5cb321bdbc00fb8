/** Dates in a zone for the program's pages (money: src/common/money.ts). */
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
