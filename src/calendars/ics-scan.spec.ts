import { busyFromIcs, FeedFormatError } from './ics-busy';
import { IcsSyntaxError, IcsTime, scanFeed } from './ics-scan';

const wrap = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]) => [
  'BEGIN:VEVENT',
  'DTSTAMP:20270101T000000Z',
  ...lines,
  'END:VEVENT',
];

function scan(text: string, known = (z: string) => z === 'Europe/Paris') {
  const seen: [IcsTime, IcsTime][] = [];
  const out = scanFeed(text, known, (s, e) => seen.push([s, e]));
  return { ...out, seen };
}

describe('scanFeed', () => {
  it('reads single events itself and hands series, overrides, DURATION and unknown zones to ical.js', () => {
    const text = wrap(
      ...event('UID:a', 'DTSTART:20270105T100000Z', 'DTEND:20270105T110000Z'),
      ...event('UID:b', 'DTSTART:20270105T100000Z', 'DTEND:20270105T110000Z', 'RRULE:FREQ=DAILY'),
      ...event(
        'UID:b',
        'RECURRENCE-ID:20270106T100000Z',
        'DTSTART:20270106T120000Z',
        'DTEND:20270106T130000Z',
      ),
      ...event('UID:c', 'DTSTART:20270105T100000Z', 'DURATION:PT1H'),
      ...event(
        'UID:d',
        'DTSTART;TZID=My Zone:20270105T100000',
        'DTEND;TZID=My Zone:20270105T110000',
      ),
      ...event(
        'UID:e',
        'DTSTART;TZID=Europe/Paris:20270105T100000',
        'DTEND;TZID=Europe/Paris:20270105T110000',
      ),
    );
    const out = scan(text);
    expect(out.seen.map(([s]) => s.tzid)).toEqual([null, 'Europe/Paris']);
    expect(out.simpleCount).toBe(2);
    for (const uid of ['UID:b', 'UID:c', 'UID:d']) expect(out.rest).toContain(uid);
    expect(out.rest).not.toContain('UID:a');
    expect(out.rest).not.toContain('UID:e');
  });

  it('unfolds lines, reads quoted parameters with colons, and ignores a VALARM inside an event', () => {
    const text = wrap(
      ...event(
        'UID:f',
        'DTSTART;TZID="Europe/Paris";X-NOTE="a:b;c":202701',
        ' 05T100000',
        'DTEND;VALUE=DATE-TIME;TZID=Europe/Paris:20270105T113000',
        'BEGIN:VALARM',
        'TRIGGER:-PT15M',
        'DTSTART:20990101T000000Z',
        'END:VALARM',
      ),
    );
    const [[start, end]] = scan(text).seen;
    expect(start).toMatchObject({ year: 2027, month: 1, day: 5, hour: 10, tzid: 'Europe/Paris' });
    expect(end).toMatchObject({ hour: 11, minute: 30, utc: false });
  });

  it('leaves out cancelled and transparent single events (and does not count them)', () => {
    const text = wrap(
      ...event('UID:g', 'STATUS:CANCELLED', 'DTSTART:20270105T100000Z', 'DTEND:20270105T110000Z'),
      ...event('UID:h', 'transp:transparent', 'DTSTART:20270105T100000Z', 'DTEND:20270105T110000Z'),
    );
    expect(scan(text)).toMatchObject({ simpleCount: 0, rest: null, seen: [] });
  });

  it('refuses broken structure: an event never closed, a line without a value, content outside', () => {
    for (const text of [
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n',
      'BEGIN:VCALENDAR\r\nNOT A LINE\r\nEND:VCALENDAR\r\n',
      'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nUID:x\r\n',
    ]) {
      expect(() =>
        scanFeed(
          text,
          () => true,
          () => undefined,
        ),
      ).toThrow(IcsSyntaxError);
      expect(() => busyFromIcs(text, { zone: 'UTC', from: 0, to: 1 })).toThrow(FeedFormatError);
    }
  });
});

describe('busyFromIcs on long-running series (expanded from just before the window)', () => {
  const w = {
    zone: 'Europe/London',
    from: Date.parse('2027-06-01T00:00:00Z'),
    to: Date.parse('2027-06-15T00:00:00Z'),
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  it('a weekly series every 2 weeks on Mon and Wed, started years ago, with an EXDATE in the window', () => {
    const text = wrap(
      ...event(
        'UID:w',
        // Tuesday 2 January 2024 (not a Monday or Wednesday: only the first instance falls on it)
        'DTSTART;TZID=America/New_York:20240102T090000',
        'DTEND;TZID=America/New_York:20240102T093000',
        'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
        'EXDATE;TZID=America/New_York:20270616T090000',
      ),
    );
    // The weeks of 2024-01-01 + 2k weeks are on: 2027-05-31 is 178 weeks later, so it is one.
    const june = { ...w, to: Date.parse('2027-07-01T00:00:00Z') };
    expect(busyFromIcs(text, june).ranges.map((r) => [iso(r.start), iso(r.end)])).toEqual([
      ['2027-06-02T13:00:00.000Z', '2027-06-02T13:30:00.000Z'],
      ['2027-06-14T13:00:00.000Z', '2027-06-14T13:30:00.000Z'],
      ['2027-06-28T13:00:00.000Z', '2027-06-28T13:30:00.000Z'],
      ['2027-06-30T13:00:00.000Z', '2027-06-30T13:30:00.000Z'],
    ]);
  });

  it('a daily series every 3 days with UNTIL, and one with COUNT (counted from its start)', () => {
    const text = wrap(
      ...event(
        'UID:d3',
        'DTSTART:20250101T120000Z',
        'DTEND:20250101T130000Z',
        'RRULE:FREQ=DAILY;INTERVAL=3;UNTIL=20270607T000000Z',
      ),
      ...event(
        'UID:c',
        'DTSTART:20270520T080000Z',
        'DTEND:20270520T081500Z',
        'RRULE:FREQ=DAILY;COUNT=14',
      ),
    );
    // 2025-01-01 → 2027-06-02 is 882 days = 3 × 294; the COUNT series ends on 2 June.
    expect(busyFromIcs(text, w).ranges.map((r) => iso(r.start))).toEqual([
      '2027-06-01T08:00:00.000Z',
      '2027-06-02T08:00:00.000Z',
      '2027-06-02T12:00:00.000Z',
      '2027-06-05T12:00:00.000Z',
    ]);
  });

  it('a DAILY rule no day can match (ical.js would loop forever on it) gives DTSTART alone', () => {
    const text = wrap(
      ...event(
        'UID:z',
        'DTSTART:20270601T100000Z',
        'DTEND:20270601T110000Z',
        'RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=MO',
      ),
    );
    expect(busyFromIcs(text, w).ranges).toEqual([
      { start: Date.parse('2027-06-01T10:00:00Z'), end: Date.parse('2027-06-01T11:00:00Z') },
    ]);
  });

  it('a rule no day can fit, which ical.js would search for forever, fails alone', () => {
    const text = wrap(
      ...event(
        'UID:h',
        'DTSTART:20270101T100000Z',
        'DTEND:20270101T110000Z',
        'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      ),
      ...event('UID:ok', 'DTSTART:20270602T100000Z', 'DTEND:20270602T110000Z'),
    );
    expect(busyFromIcs(text, w).ranges).toEqual([
      { start: Date.parse('2027-06-02T10:00:00Z'), end: Date.parse('2027-06-02T11:00:00Z') },
    ]);
  });
});
