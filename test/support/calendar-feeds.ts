import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';

const DIR = join(__dirname, '..', 'fixtures', 'calendars');

/**
 * A real-world-shaped feed from test/fixtures/calendars with its dates filled in relative to
 * `firstMonday` (YYYY-MM-DD): {{MON1}}…{{MON5}}, {{TUE1}}, {{TUE3}}, {{WED1}}, {{THU1}}, {{FRI1}}, {{SAT1}}.
 */
export function feed(name: 'google-weekly' | 'outlook', firstMonday: string): string {
  const dates = weekDates(firstMonday);
  return readFileSync(join(DIR, `${name}.ics`), 'utf8')
    .replace(/\{\{(\w+)\}\}/g, (_, k: string) => dates[k].replace(/-/g, ''))
    .replace(/\r?\n/g, '\r\n');
}

/** MON1…MON5, TUE1…SUN1, TUE3 (ISO dates) from the first Monday. */
export function weekDates(firstMonday: string): Record<string, string> {
  const mon = Temporal.PlainDate.from(firstMonday);
  const out: Record<string, string> = {};
  for (let w = 1; w <= 5; w++) out[`MON${w}`] = mon.add({ weeks: w - 1 }).toString();
  ['TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].forEach((d, i) => {
    out[`${d}1`] = mon.add({ days: i + 1 }).toString();
    out[`${d}3`] = mon.add({ weeks: 2, days: i + 1 }).toString();
  });
  return out;
}

/** The first Monday at least `minDays` days after today (UTC). */
export function mondayAfter(minDays: number): string {
  let d = Temporal.Now.plainDateISO('UTC').add({ days: minDays });
  while (d.dayOfWeek !== 1) d = d.add({ days: 1 });
  return d.toString();
}
