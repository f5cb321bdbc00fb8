/**
 * A one-pass scanner over an iCalendar feed's text for the common case — a single event with a
 * DTSTART and a DTEND (UTC, a known zone, floating, or a date) — so that most of a feed never
 * becomes an ical.js object tree. Everything else (recurring series and their overrides,
 * DURATION, a zone only the feed's own VTIMEZONE defines, anything it does not fully understand)
 * is handed back as a smaller iCalendar text (the feed's VTIMEZONEs and those events) for ical.js.
 * Pure: no Nest, no database, no network.
 */

export class IcsSyntaxError extends Error {}

/** A DATE or DATE-TIME value as written (wall clock unless `utc`). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  isDate: boolean;
}

export interface IcsTime extends WallTime {
  /** The TZID parameter (quotes removed), if any. */
  tzid: string | null;
  /** Written with a trailing Z. */
  utc: boolean;
}

export interface ScanResult {
  /** Single busy events passed to `onEvent` (cancelled and transparent ones are left out). */
  simpleCount: number;
  /** The VTIMEZONEs and every event the scanner left to ical.js, as a VCALENDAR; null if none. */
  rest: string | null;
}

const TIME = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;
/** Properties that make an event more than a single DTSTART–DTEND range. */
const COMPLEX = new Set(['RRULE', 'RDATE', 'RECURRENCE-ID', 'DURATION', 'EXRULE']);

/** The name of a content line (upper-cased) and where its parameters/value start. */
function nameOf(line: string): { name: string; at: number } {
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 59 /* ; */ || c === 58 /* : */) break;
    i++;
  }
  if (i === n) throw new IcsSyntaxError(`a line without a value`);
  return { name: line.slice(0, i).toUpperCase(), at: i };
}

/** Parameters (upper-cased names, quotes removed) and value of a content line after its name. */
function paramsAndValue(line: string, at: number): { params: Map<string, string>; value: string } {
  const params = new Map<string, string>();
  let i = at;
  const n = line.length;
  while (i < n && line.charCodeAt(i) === 59) {
    const eq = line.indexOf('=', i + 1);
    if (eq < 0) throw new IcsSyntaxError('a parameter without a value');
    const key = line.slice(i + 1, eq).toUpperCase();
    let j = eq + 1;
    let quoted = false;
    while (j < n) {
      const c = line.charCodeAt(j);
      if (c === 34 /* " */) quoted = !quoted;
      else if (!quoted && (c === 59 || c === 58)) break;
      j++;
    }
    params.set(key, line.slice(eq + 1, j).replace(/"/g, ''));
    i = j;
  }
  if (line.charCodeAt(i) !== 58) throw new IcsSyntaxError('a line without a value');
  return { params, value: line.slice(i + 1) };
}

/** A DTSTART/DTEND line as a time; null when it is anything the scanner leaves to ical.js. */
function timeOf(line: string, at: number): IcsTime | null {
  const { params, value } = paramsAndValue(line, at);
  const m = TIME.exec(value.trim());
  if (!m) return null;
  const isDate = m[4] === undefined;
  const type = params.get('VALUE')?.toUpperCase();
  if (type !== undefined && type !== (isDate ? 'DATE' : 'DATE-TIME')) return null;
  const tzid = params.get('TZID')?.trim() || null;
  return {
    year: +m[1],
    month: +m[2],
    day: +m[3],
    hour: isDate ? 0 : +m[4],
    minute: isDate ? 0 : +m[5],
    second: isDate ? 0 : +m[6],
    isDate,
    tzid: isDate ? null : tzid,
    utc: m[7] === 'Z',
  };
}

/**
 * Scans `text` (an iCalendar feed). `onEvent` gets each single busy event's DTSTART and DTEND;
 * `knownZone` says whether a TZID can be read without the feed's VTIMEZONE (else: ical.js).
 */
export function scanFeed(
  text: string,
  knownZone: (tzid: string) => boolean,
  onEvent: (start: IcsTime, end: IcsTime) => void,
): ScanResult {
  const zones: string[] = [];
  const rest: string[] = [];
  let simpleCount = 0;
  // The component being read at the top level of the VCALENDAR: its lines (kept only until it is
  // known to be simple, or for good when it is not) and its nesting depth.
  let block: string[] | null = null;
  let blockKind = '';
  let depth = 0;
  let complex = false;
  let start: IcsTime | null = null;
  let end: IcsTime | null = null;
  let notBusy = false;
  let calendars = 0;
  let pos = 0;
  const n = text.length;
  /** The line from `pos` (without its CR LF), folded lines joined; moves `pos` past it. */
  const nextLine = (): string => {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    let line = text.slice(pos, text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
    pos = eol + 1;
    // RFC 5545 folding: a line that starts with a space or a tab continues the one before.
    while (pos < n && (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9)) {
      eol = text.indexOf('\n', pos);
      if (eol < 0) eol = n;
      line += text.slice(pos + 1, text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
      pos = eol + 1;
    }
    return line;
  };
  while (pos < n) {
    const line = nextLine();
    if (line.length === 0 || line.trim().length === 0) continue;
    const { name, at } = nameOf(line);
    if (name === 'BEGIN' || name === 'END') {
      const what = line
        .slice(at + 1)
        .trim()
        .toUpperCase();
      if (name === 'BEGIN') {
        if (depth === 0) {
          if (what !== 'VCALENDAR') throw new IcsSyntaxError('content outside the VCALENDAR');
          calendars++;
        } else if (depth === 1) {
          blockKind = what;
          block = what === 'VEVENT' || what === 'VTIMEZONE' ? [] : null;
          complex = what === 'VTIMEZONE';
          start = end = null;
          notBusy = false;
        }
        depth++;
        block?.push(line);
        continue;
      }
      if (depth === 0) throw new IcsSyntaxError(`END:${what} without a BEGIN`);
      block?.push(line);
      depth--;
      if (depth === 1 && block) {
        if (what !== blockKind) throw new IcsSyntaxError(`END:${what} inside ${blockKind}`);
        if (blockKind === 'VTIMEZONE') zones.push(...block);
        else if (complex || !start || !end) rest.push(...block);
        else if (!notBusy) {
          try {
            onEvent(start, end);
            simpleCount++;
          } catch {
            // one broken event (a date that does not exist) doesn't take the rest of the feed with it
          }
        }
        block = null;
      }
      continue;
    }
    if (depth !== 2 || !block) {
      if (depth === 0) throw new IcsSyntaxError('content outside the VCALENDAR');
      if (block) block.push(line);
      continue;
    }
    block.push(line);
    if (complex) continue;
    // A property of a VEVENT (not of a VALARM inside it).
    if (COMPLEX.has(name)) complex = true;
    else if (name === 'DTSTART' || name === 'DTEND') {
      const t: IcsTime | null = (name === 'DTSTART' ? start : end) ? null : timeOf(line, at);
      if (!t || (t.tzid !== null && !t.utc && !knownZone(t.tzid))) complex = true;
      else if (name === 'DTSTART') start = t;
      else end = t;
    } else if (name === 'STATUS' || name === 'TRANSP') {
      const v = paramsAndValue(line, at).value.trim().toUpperCase();
      if (v === (name === 'STATUS' ? 'CANCELLED' : 'TRANSPARENT')) notBusy = true;
    }
  }
  if (depth !== 0) throw new IcsSyntaxError('the feed ends inside a component');
  if (calendars === 0) throw new IcsSyntaxError('no VCALENDAR');
  if (!rest.length) return { simpleCount, rest: null };
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...zones, ...rest, 'END:VCALENDAR'];
  return { simpleCount, rest: lines.join('\r\n') + '\r\n' };
}
