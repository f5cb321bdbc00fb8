/** Reads the weekly-hours form ("09:00-12:00, 13:00-17:00" per day; "2026-12-24 10:00-12:00" or "… off" per override line). */

export interface ParsedAvailability {
  value: {
    timeZone: string;
    weekly: { weekday: number; start: string; end: string }[];
    overrides: { date: string; intervals: { start: string; end: string }[] }[];
  };
  errors: Record<string, string[]>;
}

const RANGE = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/;
const pad = (t: string) => (t.length === 4 ? `0${t}` : t);

function parseRanges(text: string): { start: string; end: string }[] | null {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const out: { start: string; end: string }[] = [];
  for (const p of parts) {
    const m = RANGE.exec(p);
    if (!m) return null;
    out.push({ start: pad(m[1]), end: pad(m[2]) });
  }
  return out;
}

export function formatDayIntervals(intervals: { start: string; end: string }[]): string {
  return intervals.map((i) => `${i.start}-${i.end}`).join(', ');
}

export function parseAvailabilityForm(
  body: Record<string, string | undefined>,
): ParsedAvailability {
  const errors: Record<string, string[]> = {};
  const weekly: ParsedAvailability['value']['weekly'] = [];
  for (let d = 1; d <= 7; d++) {
    const ranges = parseRanges(body[`day${d}`] ?? '');
    if (!ranges)
      errors[`day${d}`] = [
        'Write hours like 09:00-12:00, 13:00-17:00 (or leave empty for a day off).',
      ];
    else ranges.forEach((r) => weekly.push({ weekday: d, ...r }));
  }
  const overrides: ParsedAvailability['value']['overrides'] = [];
  (body.overrides ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const m = /^(\d{4}-\d{2}-\d{2})\s+(.+)$/.exec(line);
      const ranges = m ? (/^off$/i.test(m[2].trim()) ? [] : parseRanges(m[2])) : null;
      if (!m || !ranges)
        errors[`overrides line ${i + 1}`] = [
          'Write a date and hours, like 2026-12-24 10:00-12:00, or 2026-12-25 off.',
        ];
      else overrides.push({ date: m[1], intervals: ranges });
    });
  return { value: { timeZone: (body.timeZone ?? '').trim(), weekly, overrides }, errors };
}
