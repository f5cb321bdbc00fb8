import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';

/**
 * Mend's iCalendar (RFC 5545) output, written by ical-generator: it escapes TEXT values and
 * addresses, folds lines at 75 octets and ends them with CRLF, so nothing a person typed (a name,
 * a note, a quoted e-mail local part with a line break) can add a property or an event.
 *
 * An event is a plain object; add a field here and map it in `addEvent` to extend invites.
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

const METHODS: Record<IcsMethod, ICalCalendarMethod> = {
  REQUEST: ICalCalendarMethod.REQUEST,
  CANCEL: ICalCalendarMethod.CANCEL,
  PUBLISH: ICalCalendarMethod.PUBLISH,
};

const STATUSES: Record<IcsEvent['status'], ICalEventStatus> = {
  CONFIRMED: ICalEventStatus.CONFIRMED,
  CANCELLED: ICalEventStatus.CANCELLED,
  TENTATIVE: ICalEventStatus.TENTATIVE,
};

/**
 * A display name as a parameter value (CN): RFC 5545 allows no DQUOTE or control character inside
 * a quoted parameter, and calendar apps disagree on escapes, so those are dropped.
 */
function displayName(s: string): string {
  return [...s]
    .filter((ch) => ch !== '"' && ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join('');
}

/** One line of text: ical-generator 10 writes the calendar NAME unescaped, so line breaks go here. */
function oneLine(s: string): string {
  return [...s]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch))
    .join('');
}

export function buildCalendar(method: IcsMethod, events: IcsEvent[], name?: string): string {
  const calendar = ical({
    prodId: '//Mend//Bookings//EN',
    method: METHODS[method],
    scale: 'GREGORIAN',
    ...(name ? { name: oneLine(name) } : {}),
  });
  for (const e of events) {
    const event = calendar.createEvent({
      id: e.uid,
      sequence: e.sequence,
      start: e.start,
      end: e.end,
      stamp: e.stamp,
      summary: e.summary,
      description: e.description,
      location: e.location ?? null,
      url: e.url ?? null,
      status: STATUSES[e.status],
      organizer: { name: displayName(e.organizer.name), email: e.organizer.email },
    });
    if (e.attendee) {
      event.createAttendee({
        name: displayName(e.attendee.name),
        email: e.attendee.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      });
    }
  }
  // Every content line ends with CRLF, the last one too (RFC 5545 §3.1).
  return `${calendar.toString()}\r\n`;
}
