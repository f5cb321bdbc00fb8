import { buildCalendar, escapeText, foldLine, IcsEvent } from './ics';

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

describe('ics', () => {
  it('writes a REQUEST with UTC times, sequence, organizer and attendee, CRLF endings', () => {
    const ics = buildCalendar('REQUEST', [event()]);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('METHOD:REQUEST\r\n');
    expect(unfolded).toContain('UID:booking-1@mend\r\n');
    expect(unfolded).toContain('DTSTART:20261201T170000Z\r\n');
    expect(unfolded).toContain('DTEND:20261201T175000Z\r\n');
    expect(unfolded).toContain('DTSTAMP:20261120T080000Z\r\n');
    expect(unfolded).toContain('SEQUENCE:2\r\n');
    expect(unfolded).toContain('ORGANIZER;CN="Dana D Reyes":mailto:coach@example.com\r\n');
    expect(unfolded).toContain(
      'DESCRIPTION:Line one\\nLine two\\; with\\, commas \\\\ and more\r\n',
    );
  });

  it('writes CANCEL with a cancelled status', () => {
    const ics = buildCalendar('CANCEL', [event({ status: 'CANCELLED', sequence: 3 })]);
    expect(ics).toContain('METHOD:CANCEL\r\n');
    expect(ics).toContain('STATUS:CANCELLED\r\n');
  });

  it('escapes text', () => {
    expect(escapeText('a,b;c\\d\r\ne')).toBe('a\\,b\\;c\\\\d\\ne');
  });

  it('folds lines at 75 octets without splitting multi-byte characters', () => {
    const long = 'DESCRIPTION:' + 'é'.repeat(100) + 'x'.repeat(50);
    const folded = foldLine(long);
    for (const line of folded.split('\r\n'))
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(' ')),
    ).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const ics = buildCalendar('PUBLISH', [event({ summary: 'ü'.repeat(80) })]);
    for (const line of ics.split('\r\n'))
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});
