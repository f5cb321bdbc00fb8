import ICAL from 'ical.js';
import { readFileSync } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import { expandSeries, simpleSeries } from './ics-recur';
import { IcsSyntaxError, IcsTime, scanFeed, WallTime } from './ics-scan';

/**
 * What an iCalendar feed says about when the coach is busy: a pure function over the feed's text
 * (no Nest, no database, no network).
 *
 * Single events (most of any feed) are read by a one-pass scanner (ics-scan.ts) that builds no
 * object tree; the rest — recurring series, their overrides, DURATION, custom VTIMEZONEs — goes to
 * ical.js (a maintained parser, with RRULE / RDATE / EXDATE expansion), which reads them and expands
 * recurrences in wall-clock time — which is what RFC 5545 means by a rule such as "weekly on
 * Monday at 10:00". Each wall time is then made an instant here:
 * - `…Z` is UTC; a `TZID` is read as an IANA zone, or as a Windows name as Outlook writes it
 *   ("Eastern Standard Time", mapped with the CLDR table node-ical ships), or — for a custom name
 *   — by the feed's own VTIMEZONE;
 * - floating times (no zone) are read in the coach's zone (`compatible` disambiguation);
 * - all-day events are busy for their whole dates in the coach's zone.
 * RECURRENCE-ID overrides replace the instance they name (a moved instance is busy where it moved
 * to); STATUS:CANCELLED and TRANSP:TRANSPARENT events and instances are not busy.
 *
 * (node-ical 0.26.1 was tried first: it parsed Windows zones and RRULE right but left RDATE and
 * floating times wrong, and its Temporal-based expansion took ~10x the 2 s budget on a
 * 5 000-event feed.)
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
/** A runaway rule (FREQ=SECONDLY…) stops here; nothing a person keeps comes close. */
const MAX_PER_SERIES = 20_000;

/**
 * ical.js's iterator looks for the next day that fits a DAILY/WEEKLY rule's BY… parts without a
 * bound, so a rule no day fits (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`, from a broken or hostile
 * feed) would hold the event loop forever. After this many misses in a row the series fails
 * (caught per event: the rest of the feed still syncs). A real rule misses at most a few years of
 * days in a row (a leap day: ~1 500; an HOURLY rule in February ~8 000).
 */
const MAX_MISSES = 50_000;
const misses = new WeakMap<object, number>();
type Iter = { check_contracting_rules(): boolean };
const proto = (ICAL.RecurIterator as unknown as { prototype: Iter }).prototype;
const check = proto.check_contracting_rules;
proto.check_contracting_rules = function (this: Iter): boolean {
  const fits = check.call(this);
  if (fits) misses.delete(this);
  else {
    const n = (misses.get(this) ?? 0) + 1;
    if (n > MAX_MISSES) throw new Error('a recurrence rule no instance can fit');
    misses.set(this, n);
  }
  return fits;
};

let windowsZones: Record<string, { iana: string[] }> | null = null;
const zoneCache = new Map<string, string | null>();

/** An IANA zone for a TZID (IANA already, or a Windows name as Outlook writes); null if unknown. */
export function ianaZone(tzid: string): string | null {
  const name = tzid.replace(/^"|"$/g, '').trim();
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached;
  let zone: string | null;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(name);
    zone = name;
  } catch {
    windowsZones ??= JSON.parse(
      readFileSync(require.resolve('node-ical/windowsZones.json'), 'utf8'),
    ) as Record<string, { iana: string[] }>;
    zone = windowsZones[name]?.iana[0] ?? null;
  }
  if (zoneCache.size < 1000) zoneCache.set(name, zone);
  return zone;
}

type Range = { start: number; end: number };

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateOf = (t: Pick<WallTime, 'year' | 'month' | 'day'>) =>
  `${t.year}-${pad(t.month)}-${pad(t.day)}`;

/** Turns wall times of one property (its TZID, or UTC, or floating) into instants. */
class Instants {
  private readonly vtimezones = new Map<string, ICAL.Timezone>();

  constructor(
    root: ICAL.Component,
    private readonly coachZone: string,
  ) {
    for (const vtz of root.getAllSubcomponents('vtimezone')) {
      const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
      if (tzid) this.vtimezones.set(tzid, new ICAL.Timezone({ component: vtz, tzid }));
    }
  }

  /** The instant of a wall time written with `tzid` (null: floating unless the value says UTC). */
  of(t: ICAL.Time, tzid: string | null, utc: boolean): number {
    if (t.isDate) return startOfDate(dateOf(t), this.coachZone);
    if (utc) return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    const zone = tzid ? ianaZone(tzid) : this.coachZone;
    if (!zone) {
      const custom = tzid ? this.vtimezones.get(tzid.replace(/^"|"$/g, '')) : undefined;
      if (custom) {
        const c = t.clone();
        c.zone = custom;
        return c.toUnixTime() * 1000;
      }
      return wallInZone(t, this.coachZone);
    }
    return wallInZone(t, zone);
  }
}

/** Per zone, per day number: its UTC offset (ms) at noon UTC, or NaN near a transition. */
const steadyOffsets = new Map<string, Map<number, number>>();
let cachedDays = 0;

const offsetAtNoon = (zone: string, day: number): number =>
  Temporal.Instant.fromEpochMilliseconds(day * DAY + DAY / 2).toZonedDateTimeISO(zone)
    .offsetNanoseconds / 1e6;

/**
 * The zone's offset on a day when the day before and after have the same one (so any wall time
 * that day is `wall - offset`), else NaN. Cached: Temporal's conversions are the slow part.
 */
function steadyOffset(zone: string, day: number): number {
  let days = steadyOffsets.get(zone);
  if (!days) steadyOffsets.set(zone, (days = new Map()));
  let o = days.get(day);
  if (o === undefined) {
    o = offsetAtNoon(zone, day);
    if (offsetAtNoon(zone, day - 1) !== o || offsetAtNoon(zone, day + 1) !== o) o = NaN;
    if (++cachedDays > 200_000) {
      steadyOffsets.clear();
      cachedDays = 0;
    }
    days.set(day, o);
  }
  return o;
}

/** A wall time in a zone as an instant, `compatible` disambiguation (Temporal near a transition). */
function wallInZone(t: Omit<WallTime, 'isDate'>, zone: string): number {
  return wallMsInZone(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second), zone);
}

/** The same for a wall time given as milliseconds (its fields read as UTC). */
function wallMsInZone(wall: number, zone: string): number {
  const offset = steadyOffset(zone, Math.floor(wall / DAY));
  if (!Number.isNaN(offset)) return wall - offset;
  const d = new Date(wall);
  return Temporal.PlainDateTime.from({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

const dayStarts = new Map<string, number>();

function startOfDate(date: string, zone: string): number {
  const key = `${zone}|${date}`;
  let ms = dayStarts.get(key);
  if (ms === undefined) {
    ms = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }).epochMilliseconds;
    if (dayStarts.size >= 100_000) dayStarts.clear();
    dayStarts.set(key, ms);
  }
  return ms;
}

interface TimeProp {
  time: ICAL.Time;
  tzid: string | null;
  utc: boolean;
}

function timeProp(v: ICAL.Component, name: string): TimeProp | null {
  const p = v.getFirstProperty(name);
  if (!p) return null;
  const time = p.getFirstValue() as ICAL.Time | null;
  if (!time || typeof time !== 'object' || !('year' in time)) return null;
  const tzid = p.getParameter('tzid');
  return {
    time,
    tzid: typeof tzid === 'string' ? tzid : null,
    utc: time.zone === ICAL.Timezone.utcTimezone,
  };
}

function notBusy(v: ICAL.Component): boolean {
  const status = String(v.getFirstPropertyValue('status') ?? '').toUpperCase();
  const transp = String(v.getFirstPropertyValue('transp') ?? '').toUpperCase();
  return status === 'CANCELLED' || transp === 'TRANSPARENT';
}

const wallMs = (t: ICAL.Time) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

/**
 * Where to start expanding a DAILY or WEEKLY series so that it doesn't walk through years of past
 * instances one by one: DTSTART moved forward by whole periods (INTERVAL days or weeks, which keeps
 * the weekdays and the INTERVAL's weeks) to at least one period before `before` (a wall time).
 * The moved start itself may not fit the rule, but it lies before the window and is dropped.
 * Undefined (expand from DTSTART) for a COUNT (instances must be counted from the start), BYSETPOS,
 * EXRULE, several RRULEs, or a series that starts close enough anyway.
 */
function fastForward(v: ICAL.Component, dtstart: ICAL.Time, before: number): ICAL.Time | undefined {
  const rrules = v.getAllProperties('rrule');
  if (rrules.length !== 1 || v.hasProperty('exrule')) return undefined;
  const rule = rrules[0].getFirstValue() as ICAL.Recur;
  if (rule.count || rule.parts.BYSETPOS || (rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY'))
    return undefined;
  const periodDays = (rule.freq === 'WEEKLY' ? 7 : 1) * (rule.interval || 1);
  const periods = Math.floor((before - wallMs(dtstart)) / (periodDays * DAY)) - 1;
  if (periods <= 0) return undefined;
  const moved = dtstart.clone();
  moved.adjust(periods * periodDays, 0, 0, 0);
  return moved;
}

/** The instant of a time the scanner read (its zone known without the feed's VTIMEZONEs). */
function instantOf(t: IcsTime, coachZone: string): number {
  if (t.isDate) return startOfDate(dateOf(t), coachZone);
  if (t.utc) return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wallInZone(t, (t.tzid && ianaZone(t.tzid)) || coachZone);
}

/**
 * Busy ranges of a feed within the window. Single events (most of a feed) are read by a one-pass
 * scanner (ics-scan.ts) without building an object tree; only recurring series, their overrides and
 * the rarer shapes go through ical.js, so a 5 000-event feed never becomes 5 000 ical.js components.
 */
export function busyFromIcs(text: string, w: BusyWindow): FeedBusy {
  if (!/^\s*BEGIN:VCALENDAR/i.test(text))
    throw new FeedFormatError('the address does not give an iCalendar (.ics) feed');
  const ranges: Range[] = [];
  const keep = (start: number, end: number) => {
    const s = Math.max(start, w.from);
    const e = Math.min(end, w.to);
    if (e > s) ranges.push({ start: s, end: e });
  };
  let scanned: ReturnType<typeof scanFeed>;
  try {
    scanned = scanFeed(
      text,
      (tzid) => ianaZone(tzid) !== null,
      (start, end) => {
        if (start.isDate) {
          const s = startOfDate(dateOf(start), w.zone);
          const e = startOfDate(dateOf(end), w.zone);
          keep(s, e > s ? e : s + DAY);
        } else keep(instantOf(start, w.zone), instantOf(end, w.zone));
      },
    );
  } catch (e) {
    if (e instanceof IcsSyntaxError)
      throw new FeedFormatError('the feed could not be read as iCalendar');
    throw e;
  }
  const eventCount =
    scanned.simpleCount + (scanned.rest ? busyOfComponents(scanned.rest, w, keep) : 0);
  return { ranges: mergeRanges(ranges), eventCount };
}

/** ical.js over what the scanner left (recurring series, overrides, custom zones…); returns the event count. */
function busyOfComponents(
  text: string,
  w: BusyWindow,
  keep: (start: number, end: number) => void,
): number {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch {
    throw new FeedFormatError('the feed could not be read as iCalendar');
  }
  const instants = new Instants(root, w.zone);
  const vevents = root.getAllSubcomponents('vevent');

  // Instances replaced by a RECURRENCE-ID override, per UID (the override stands on its own).
  const overridden = new Map<string, Set<number>>();
  for (const v of vevents) {
    const rid = timeProp(v, 'recurrence-id');
    if (!rid) continue;
    const uid = String(v.getFirstPropertyValue('uid') ?? '');
    let set = overridden.get(uid);
    if (!set) overridden.set(uid, (set = new Set()));
    set.add(instants.of(rid.time, rid.tzid, rid.utc));
  }

  let eventCount = 0;
  for (const v of vevents) {
    try {
      const isOverride = v.hasProperty('recurrence-id');
      if (notBusy(v)) continue;
      const start = timeProp(v, 'dtstart');
      if (!start) continue;
      if (!isOverride) eventCount++;
      const allDay = start.time.isDate;
      const recurring = !isOverride && (v.hasProperty('rrule') || v.hasProperty('rdate'));
      const dtend = recurring ? null : timeProp(v, 'dtend');
      if (dtend) {
        // A single event with DTEND (most of a feed): no ical.js Event needed; DTEND keeps its own zone.
        if (allDay) {
          const s = startOfDate(dateOf(start.time), w.zone);
          const e = startOfDate(dateOf(dtend.time), w.zone);
          keep(s, e > s ? e : s + DAY);
        } else
          keep(
            instants.of(start.time, start.tzid, start.utc),
            instants.of(dtend.time, dtend.tzid, dtend.utc),
          );
        continue;
      }
      // Overrides are handled here; without `exceptions` ical.js would scan the whole feed per event.
      const event = new ICAL.Event(v, { exceptions: [] });
      const duration = event.duration;
      // RFC 5545: a DTEND (or a DURATION in hours and minutes) gives every instance the same exact
      // length; a DURATION in days is nominal (wall-clock), so only that needs date arithmetic.
      const masterEnd = timeProp(v, 'dtend');
      const exactMs = allDay
        ? null
        : masterEnd
          ? instants.of(masterEnd.time, masterEnd.tzid, masterEnd.utc) -
            instants.of(start.time, start.tzid, start.utc)
          : duration.days || duration.weeks
            ? null
            : duration.toSeconds() * 1000;
      const occurrence = (t: ICAL.Time): Range => {
        if (exactMs !== null) {
          const s = instants.of(t, start.tzid, start.utc);
          return { start: s, end: s + exactMs };
        }
        const end = t.clone();
        end.addDuration(duration);
        if (allDay) {
          const s = startOfDate(dateOf(t), w.zone);
          const e = startOfDate(dateOf(end), w.zone);
          return { start: s, end: e > s ? e : s + DAY };
        }
        return {
          start: instants.of(t, start.tzid, start.utc),
          end: instants.of(end, start.tzid, start.utc),
        };
      };
      if (isOverride || !event.isRecurring()) {
        const r = occurrence(start.time);
        keep(r.start, r.end);
        continue;
      }
      const skip = overridden.get(String(v.getFirstPropertyValue('uid') ?? ''));
      const exdates = new Set<number>();
      for (const p of v.getAllProperties('exdate')) {
        const tzid = p.getParameter('tzid');
        for (const value of p.getValues() as ICAL.Time[]) {
          if (value && typeof value === 'object' && 'year' in value)
            exdates.add(
              instants.of(
                value,
                typeof tzid === 'string' ? tzid : start.tzid,
                value.zone === ICAL.Timezone.utcTimezone,
              ),
            );
        }
      }
      // Wall-clock bound, a day wider than the window either side (zone offsets < 1 day).
      const lastWall = w.to + DAY;
      const firstWall = w.from - DAY - Math.max(0, duration.toSeconds() * 1000);
      const consider = (t: ICAL.Time) => {
        const r = occurrence(t);
        if (r.end <= w.from || skip?.has(r.start) || exdates.has(r.start)) return;
        keep(r.start, r.end);
      };
      // The common rules (DAILY/WEEKLY, plain weekdays) in a zone known without the feed's
      // VTIMEZONEs, with an exact length: integer day arithmetic (ics-recur.ts), no ical.js objects.
      const zone = start.utc ? null : start.tzid ? ianaZone(start.tzid) : w.zone;
      const series = exactMs !== null && (start.utc || zone) ? simpleSeries(v) : null;
      if (series && exactMs !== null) {
        const toInstant = (wall: number) => (zone ? wallMsInZone(wall, zone) : wall);
        expandSeries(series, wallMs(start.time), { firstWall, lastWall }, toInstant, (wall) => {
          const s = toInstant(wall);
          if (s + exactMs <= w.from || skip?.has(s) || exdates.has(s)) return;
          keep(s, s + exactMs);
        });
        continue;
      }
      const it = event.iterator(fastForward(v, start.time, firstWall));
      let next: ICAL.Time | null;
      let sawStart = false;
      for (let n = 0; n < MAX_PER_SERIES && (next = it.next()); n++) {
        if (!sawStart && next.compare(start.time) === 0) sawStart = true;
        const wall = Date.UTC(next.year, next.month - 1, next.day, next.hour, next.minute);
        if (wall > lastWall) break;
        if (wall < firstWall) continue;
        consider(next);
      }
      // DTSTART is always the first instance (ical.js leaves it out of an RDATE-only series).
      if (!sawStart) consider(start.time);
    } catch {
      continue; // one broken event doesn't take the rest of the feed with it
    }
  }
  return eventCount;
}
