import { readFileSync } from 'node:fs';
import * as ical from 'node-ical';
import { Temporal } from 'temporal-polyfill';

/**
 * What an iCalendar feed says about when the coach is busy: a pure function over the feed's text
 * (no Nest, no database, no network). node-ical 0.26 parses and expands RRULE / EXDATE /
 * RECURRENCE-ID and Windows zone names; what it gets wrong or leaves out is handled here:
 * - floating times (no TZID, no Z): node-ical guesses a zone; SPEC reads them in the coach's
 *   zone, so each floating date-time in a VEVENT is given `TZID=<coach zone>` before parsing;
 * - RDATE: node-ical keeps it unparsed; its dates are added here (minus EXDATEs and overrides);
 * - all-day events: busy for those whole dates in the coach's zone (node-ical gives the host's
 *   local midnight);
 * - STATUS:CANCELLED and TRANSP:TRANSPARENT instances are not busy.
 */

export interface BusyWindow {
  /** The coach's IANA zone (floating times and all-day dates are read in it). */
  zone: string;
  /** Occurrences overlapping [from, to) are kept, clipped to it. */
  from: number;
  to: number;
}

export interface FeedBusy {
  /** Epoch ms, half-open, sorted, merged. */
  ranges: { start: number; end: number }[];
  /** Events in the feed (a recurring series counts once; cancelled and free ones are left out). */
  eventCount: number;
}

export class FeedFormatError extends Error {}

const DAY = 86_400_000;
const TIME_PROPS = new Set(['DTSTART', 'DTEND', 'RECURRENCE-ID', 'EXDATE', 'RDATE']);
const FLOATING = /^\d{8}T\d{6}(,\d{8}T\d{6})*$/;

let windowsZones: Record<string, { iana: string[] }> | null = null;

/** An IANA zone for a TZID (IANA already, or a Windows name as Outlook writes); null if unknown. */
export function ianaZone(tzid: string): string | null {
  const name = tzid.replace(/^"|"$/g, '');
  try {
    Temporal.Now.instant().toZonedDateTimeISO(name);
    return name;
  } catch {
    windowsZones ??= JSON.parse(
      readFileSync(require.resolve('node-ical/windowsZones.json'), 'utf8'),
    ) as Record<string, { iana: string[] }>;
    return windowsZones[name]?.iana[0] ?? null;
  }
}

/** Unfolds content lines and gives floating date-times inside VEVENTs the coach's zone. */
function pinFloatingTimes(text: string, zone: string): string {
  const lines = text.replace(/\r\n|\r/g, '\n').replace(/\n[ \t]/g, '').split('\n');
  let depth = 0; // inside a VEVENT (and not inside one of its VALARMs)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const upper = line.toUpperCase();
    if (upper.startsWith('BEGIN:')) {
      depth = upper === 'BEGIN:VEVENT' ? 1 : depth > 0 ? depth + 1 : 0;
      continue;
    }
    if (upper.startsWith('END:')) {
      depth = depth > 0 ? depth - 1 : 0;
      continue;
    }
    if (depth !== 1) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const head = line.slice(0, colon);
    const params = head.split(';');
    if (!TIME_PROPS.has(params[0].toUpperCase())) continue;
    if (params.some((p) => /^(TZID|VALUE)=/i.test(p))) continue;
    if (!FLOATING.test(line.slice(colon + 1).trim())) continue;
    lines[i] = `${head};TZID=${zone}${line.slice(colon)}`;
  }
  return lines.join('\r\n');
}

/** The busy ranges of an all-day span: its dates' whole days in the coach's zone. */
function wholeDays(startDate: string, endDate: string, zone: string): { start: number; end: number } {
  const s = Temporal.PlainDate.from(startDate);
  let e = Temporal.PlainDate.from(endDate);
  if (Temporal.PlainDate.compare(e, s) <= 0) e = s.add({ days: 1 });
  return {
    start: s.toZonedDateTime({ timeZone: zone }).epochMilliseconds,
    end: e.toZonedDateTime({ timeZone: zone }).epochMilliseconds,
  };
}

/** node-ical's date-only values are midnights of the host's zone: read back their calendar date. */
function hostDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

interface RawValue {
  params?: Record<string, string>;
  val?: string;
}

/** Parses RDATE values node-ical leaves raw: [instant or date, isDate]. */
function rdates(raw: unknown, zone: string): { at: number; date: string | null }[] {
  const list = (Array.isArray(raw) ? raw : [raw]) as (RawValue | string)[];
  const out: { at: number; date: string | null }[] = [];
  for (const item of list) {
    const value = typeof item === 'string' ? item : (item?.val ?? '');
    const params = typeof item === 'string' ? {} : (item?.params ?? {});
    const tz = params.TZID ? ianaZone(params.TZID) : zone;
    if (!tz) continue;
    for (const v of String(value).split(',')) {
      const first = v.split('/')[0].trim(); // a PERIOD starts with its start
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(first);
      if (!m) continue;
      const date = `${m[1]}-${m[2]}-${m[3]}`;
      if (m[4] === undefined) {
        out.push({ at: Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }).epochMilliseconds, date });
        continue;
      }
      const wall = `${date}T${m[4]}:${m[5]}:${m[6]}`;
      const at = m[7]
        ? Date.parse(`${wall}Z`)
        : Temporal.PlainDateTime.from(wall).toZonedDateTime(tz, { disambiguation: 'compatible' })
            .epochMilliseconds;
      out.push({ at, date: null });
    }
  }
  return out;
}

function notBusy(e: { status?: string; transparency?: string }): boolean {
  return e.status === 'CANCELLED' || e.transparency === 'TRANSPARENT';
}

function mergeRanges(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function busyFromIcs(text: string, w: BusyWindow): FeedBusy {
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw new FeedFormatError('the address does not give an iCalendar (.ics) feed');
  let parsed: ical.CalendarResponse;
  try {
    parsed = ical.sync.parseICS(pinFloatingTimes(text, w.zone));
  } catch {
    throw new FeedFormatError('the feed could not be read as iCalendar');
  }
  const ranges: { start: number; end: number }[] = [];
  let eventCount = 0;
  const from = new Date(w.from - DAY);
  const to = new Date(w.to + DAY);
  const keep = (r: { start: number; end: number }) => {
    const start = Math.max(r.start, w.from);
    const end = Math.min(r.end, w.to);
    if (end > start) ranges.push({ start, end });
  };
  for (const c of Object.values(parsed)) {
    if (!c || c.type !== 'VEVENT') continue;
    const e = c;
    if (!e.start) continue;
    const hasRecurrences = !!e.rrule || e.rdate !== undefined;
    if (notBusy(e) && !hasRecurrences) continue;
    if (!notBusy(e)) eventCount++;
    let instances: ical.EventInstance[];
    try {
      instances = ical.expandRecurringEvent(e, { from, to, expandOngoing: true });
    } catch {
      continue; // one broken event doesn't take the rest of the feed with it
    }
    for (const i of instances) {
      if (notBusy(i.event)) continue;
      if (i.isFullDay) keep(wholeDays(hostDate(i.start), hostDate(i.end ?? i.start), w.zone));
      else keep({ start: i.start.getTime(), end: (i.end ?? i.start).getTime() });
    }
    if (e.rdate !== undefined && !notBusy(e)) {
      const duration = e.end ? e.end.getTime() - e.start.getTime() : 0;
      const skipped = new Set(
        [...Object.values(e.exdate ?? {}), ...Object.values(e.recurrences ?? {}).map((r) => r.recurrenceid)]
          .filter((d): d is ical.DateWithTimeZone => d instanceof Date)
          .map((d) => d.getTime()),
      );
      for (const r of rdates(e.rdate, w.zone)) {
        if (skipped.has(r.at)) continue;
        if (r.date) keep(wholeDays(r.date, Temporal.PlainDate.from(r.date).add({ days: Math.max(1, Math.round(duration / DAY)) }).toString(), w.zone));
        else keep({ start: r.at, end: r.at + duration });
      }
    }
  }
  return { ranges: mergeRanges(ranges), eventCount };
}
