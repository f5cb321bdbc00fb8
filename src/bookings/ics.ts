/**
 * Mend's iCalendar (RFC 5545) output, written here directly (a booking mail carries two invites,
 * and a general-purpose builder cost more than a millisecond each): TEXT values are escaped,
 * parameter values and addresses lose what could end them, every line is folded at 75 octets
 * (never inside a UTF-8 sequence) and ends with CRLF, so nothing a person typed (a name, a note,
 * a quoted e-mail local part with a line break) can add a property or an event.
 *
 * An event is a plain object; add a field here and write it in `eventLines` to extend invites.
 */
export interface IcsEvent {
  uid: string;
  /** Bumped on every change, so calendar apps apply updates and cancellations in order. */
  sequence: number;
  start: Date;
  end: Date;
  stamp: Date;
  summary: string;
  description: string;
  location?: string;
  url?: string;
  status: 'CONFIRMED' | 'CANCELLED' | 'TENTATIVE';
  organizer: { name: string; email: string };
  attendee?: { name: string; email: string };
}

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. */
function text(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROL, ' ');
}

/**
 * A display name as a quoted parameter value (CN): RFC 5545 allows no DQUOTE or control character
 * inside one, and calendar apps disagree on escapes, so those are dropped.
 */
function displayName(s: string): string {
  return s.replace(/"/g, '').replace(CONTROL, '');
}

/** A URI value (mailto:, https:): control characters percent-encoded, so it stays one value. */
function uri(s: string): string {
  return s.replace(
    CONTROL,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** One line of text for a name: line breaks and other control characters become spaces. */
function oneLine(s: string): string {
  return s.replace(CONTROL, ' ');
}

/** 2026-12-01T17:00:00.123Z → 20261201T170000Z */
function utc(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Folds a content line at 75 octets (continuations start with a space), never inside a character. */
function fold(line: string): string {
  // Fast path: ASCII lines of at most 75 characters are 75 octets or fewer.
  if (line.length <= 75 && !/[\u0080-\uffff]/.test(line)) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function eventLines(e: IcsEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${text(e.uid)}`,
    `SEQUENCE:${Math.trunc(e.sequence)}`,
    `DTSTAMP:${utc(e.stamp)}`,
    `DTSTART:${utc(e.start)}`,
    `DTEND:${utc(e.end)}`,
    `SUMMARY:${text(e.summary)}`,
  ];
  if (e.location) lines.push(`LOCATION:${text(e.location)}`);
  lines.push(`DESCRIPTION:${text(e.description)}`);
  lines.push(`ORGANIZER;CN="${displayName(e.organizer.name)}":mailto:${uri(e.organizer.email)}`);
  if (e.attendee)
    lines.push(
      `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE;CN="${displayName(e.attendee.name)}":mailto:${uri(e.attendee.email)}`,
    );
  if (e.url) lines.push(`URL;VALUE=URI:${uri(e.url)}`);
  lines.push(`STATUS:${e.status}`, 'END:VEVENT');
  return lines;
}

export function buildCalendar(method: IcsMethod, events: IcsEvent[], name?: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Mend//Bookings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
  ];
  if (name) lines.push(`NAME:${text(oneLine(name))}`, `X-WR-CALNAME:${text(oneLine(name))}`);
  for (const e of events) lines.push(...eventLines(e));
  lines.push('END:VCALENDAR');
  // Every content line ends with CRLF, the last one too (RFC 5545 §3.1).
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
