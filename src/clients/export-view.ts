import { formatMoment } from '../common/dates';

/** One readable row of a person's data: a label and either text or nested rows. */
export interface ExportRow {
  label: string;
  text?: string;
  rows?: ExportRow[];
  items?: ExportRow[][];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const SECTION_TITLES: Record<string, string> = {
  account: 'Your account',
  bookings: 'Your sessions',
  payments: 'Your payments',
  content: 'Comments, ratings and newsletter',
  program: 'The 12 Steps',
  audit: 'Who read your private writing, and when',
};

/** "preferredName" → "Preferred name". */
export function labelFor(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return SECTION_TITLES[key] ?? words.charAt(0).toUpperCase() + words.slice(1);
}

function textOf(value: unknown, zone: string | null): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' && ISO_INSTANT.test(value))
    return formatMoment(value, zone) ?? value;
  return String(value);
}

function rowFor(key: string, value: unknown, zone: string | null, depth: number): ExportRow {
  const label = labelFor(key);
  if (Array.isArray(value)) {
    if (value.length === 0) return { label, text: 'None' };
    if (depth > 4 || value.every((v) => v === null || typeof v !== 'object'))
      return { label, text: value.map((v) => textOf(v, zone)).join(', ') };
    return {
      label,
      items: value.map((v) =>
        v && typeof v === 'object'
          ? rowsFor(v as Record<string, unknown>, zone, depth + 1)
          : [{ label: '', text: textOf(v, zone) }],
      ),
    };
  }
  if (value && typeof value === 'object') {
    return depth > 4
      ? { label, text: JSON.stringify(value) }
      : { label, rows: rowsFor(value as Record<string, unknown>, zone, depth + 1) };
  }
  return { label, text: textOf(value, zone) };
}

function rowsFor(value: Record<string, unknown>, zone: string | null, depth: number): ExportRow[] {
  return Object.entries(value).map(([k, v]) => rowFor(k, v, zone, depth));
}

/**
 * The same export as the JSON download, as sections a person can read: labels in words, times in
 * their own zone (or dates only when it is unknown), nothing left out.
 */
export function exportView(data: Record<string, unknown>, zone: string | null): ExportRow[] {
  return Object.entries(data)
    .filter(([key]) => key !== 'generatedAt')
    .map(([key, value]) => rowFor(key, value, zone, 0));
}
