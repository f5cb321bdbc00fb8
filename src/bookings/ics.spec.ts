import { buildCalendar, IcsEvent } from './ics';

const event = (over: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: 'booking-1@mend',
  sequence: 2,
  start: new Date('2026-12-01T17:00:00Z'),
  end: new Date('2026-12-01T17:50:00Z'),
  stamp: new Date('2026-11-20T08:00:00.123Z'),
  summary: 'Coaching session with Dana',
  description: 'Line one\nLine two; with, commas \\ and more',
  location: 'Video call',
  status: 'CONFIRMED',
  organizer: { name: 'Dana "D" Reyes', email: 'coach@example.com' },
  attendee: { name: 'Sam', email: 'sam@example.com' },
  ...over,
});

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
/** The content lines' names, in order (what a calendar app acts on). */
const names = (ics: string) =>
  unfold(ics)
    .split('\r\n')
    .filter(Boolean)
    .map((l) => /^[A-Z-]+/.exec(l)?.[0]);

describe('ics', () => {
  it('writes a REQUEST with UTC times, sequence, organizer and attendee, CRLF endings', () => {
    const ics = buildCalendar('REQUEST', [event()]);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const unfolded = unfold(ics);
    expect(unfolded).toContain('METHOD:REQUEST\r\n');
    expect(unfolded).toContain('CALSCALE:GREGORIAN\r\n');
    expect(unfolded).toContain('PRODID:-//Mend//Bookings//EN\r\n');
    expect(unfolded).toContain('UID:booking-1@mend\r\n');
    expect(unfolded).toContain('DTSTART:20261201T170000Z\r\n');
    expect(unfolded).toContain('DTEND:20261201T175000Z\r\n');
    expect(unfolded).toContain('DTSTAMP:20261120T080000Z\r\n');
    expect(unfolded).toContain('SEQUENCE:2\r\n');
    expect(unfolded).toContain('STATUS:CONFIRMED\r\n');
    expect(unfolded).toContain('LOCATION:Video call\r\n');
    expect(unfolded).toMatch(/ORGANIZER;CN="Dana D Reyes":mailto:coach@example\.com\r\n/i);
    expect(unfolded).toMatch(
      /ATTENDEE;[^\r\n]*PARTSTAT=ACCEPTED[^\r\n]*:mailto:sam@example\.com\r\n/i,
    );
    expect(unfolded).toContain(
      'DESCRIPTION:Line one\\nLine two\\; with\\, commas \\\\ and more\r\n',
    );
  });

  it('writes CANCEL with a cancelled status', () => {
    const ics = buildCalendar('CANCEL', [event({ status: 'CANCELLED', sequence: 3 })]);
    expect(ics).toContain('METHOD:CANCEL\r\n');
    expect(ics).toContain('STATUS:CANCELLED\r\n');
    expect(ics).toContain('SEQUENCE:3\r\n');
  });

  it('keeps CRLF in an address, a name or a text field inside its own value: no injected properties or events', () => {
    const injection = '\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\n';
    const ics = buildCalendar(
      'PUBLISH',
      [
        event({
          summary: `Hi${injection}`,
          description: injection,
          location: injection,
          attendee: { name: `Sam${injection}`, email: `"x${injection}"@example.com` },
          organizer: { name: `Dana${injection}`, email: 'coach@example.com' },
        }),
      ],
      `Cal${injection}`,
    );
    expect(names(ics).filter((n) => n === 'BEGIN' || n === 'END')).toEqual([
      'BEGIN',
      'BEGIN',
      'END',
      'END',
    ]);
    expect(names(ics).filter((n) => n === 'SUMMARY')).toHaveLength(1);
    expect(unfold(ics)).not.toMatch(/\r\nSUMMARY:injected/);
  });

  it('folds lines at 75 octets without splitting multi-byte characters', () => {
    const ics = buildCalendar('PUBLISH', [
      event({ summary: 'ü'.repeat(80), description: 'é'.repeat(100) + 'x'.repeat(50) }),
    ]);
    for (const line of ics.split('\r\n'))
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\ufffd');
    expect(unfold(ics)).toContain(`SUMMARY:${'ü'.repeat(80)}\r\n`);
    expect(unfold(ics)).toContain(`DESCRIPTION:${'é'.repeat(100)}${'x'.repeat(50)}\r\n`);
  });
});
