import { Temporal } from 'temporal-polyfill';
import { feed, weekDates } from '../../test/support/calendar-feeds';
import { withProcessTimeZone } from '../../test/support/process-zone';
import { busyFromIcs, FeedFormatError, ianaZone } from './ics-busy';

const MONDAY = '2027-03-01';
const D = weekDates(MONDAY);
const NY = 'America/New_York';
const at = (date: string, time: string, zone = NY) =>
  Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(zone).epochMilliseconds;
const iso = (ms: number) => new Date(ms).toISOString();
const window = {
  zone: NY,
  from: at(MONDAY, '00:00') - 86_400_000,
  to: at(D.MON5, '23:59') + 86_400_000,
};

function ranges(text: string, w = window): [string, string][] {
  return busyFromIcs(text, w).ranges.map((r) => [iso(r.start), iso(r.end)]);
}

describe('busyFromIcs', () => {
  it('Google: weekly RRULE, an EXDATE, a moved instance, a cancelled instance, all-day and transparent events', () => {
    expect(ranges(feed('google-weekly', MONDAY))).toEqual([
      [iso(at(D.MON1, '10:00')), iso(at(D.MON1, '11:00'))],
      // Thursday all day (busy), in the coach's zone; Wednesday's all-day and lunch are transparent
      [iso(at(D.THU1, '00:00')), iso(at(D.FRI1, '00:00'))],
      // MON2 is an EXDATE; MON3 moved to TUE3 14:00; MON4 cancelled
      [iso(at(D.TUE3, '14:00')), iso(at(D.TUE3, '15:00'))],
      [iso(at(D.MON5, '10:00')), iso(at(D.MON5, '11:00'))],
    ]);
    expect(busyFromIcs(feed('google-weekly', MONDAY), window).eventCount).toBe(2);
  });

  it('Outlook: Windows zone names, a cancelled event, floating times and RDATE read in the coach zone', () => {
    const zone = 'Europe/London';
    const w = { ...window, zone };
    expect(ranges(feed('outlook', MONDAY), w)).toEqual([
      [iso(at(D.TUE1, '09:00', NY)), iso(at(D.TUE1, '09:30', NY))],
      [iso(at(D.TUE1, '17:00', 'Europe/Berlin')), iso(at(D.TUE1, '18:00', 'Europe/Berlin'))],
      [iso(at(D.FRI1, '09:00', zone)), iso(at(D.FRI1, '10:00', zone))],
      [iso(at(D.SAT1, '09:00', zone)), iso(at(D.SAT1, '10:00', zone))],
    ]);
  });

  it('reads all-day dates the same whatever zone the server runs in', () => {
    const inTokyo = withProcessTimeZone('Asia/Tokyo', () => ranges(feed('google-weekly', MONDAY)));
    expect(inTokyo[1]).toEqual([iso(at(D.THU1, '00:00')), iso(at(D.FRI1, '00:00'))]);
  });

  it('keeps only what overlaps the window, clipped to it', () => {
    const w = { zone: NY, from: at(D.MON1, '10:30'), to: at(D.TUE3, '14:30') };
    expect(ranges(feed('google-weekly', MONDAY), w)).toEqual([
      [iso(at(D.MON1, '10:30')), iso(at(D.MON1, '11:00'))],
      [iso(at(D.THU1, '00:00')), iso(at(D.FRI1, '00:00'))],
      [iso(at(D.TUE3, '14:00')), iso(at(D.TUE3, '14:30'))],
    ]);
  });

  it('refuses what is not iCalendar (an HTML page, JSON, nothing)', () => {
    for (const text of ['<!doctype html><html><body>Sign in</body></html>', '{"events":[]}', ''])
      expect(() => busyFromIcs(text, window)).toThrow(FeedFormatError);
  });

  it('maps Windows zone names to IANA ones', () => {
    expect(ianaZone('Eastern Standard Time')).toBe('America/New_York');
    expect(ianaZone('"W. Europe Standard Time"')).toBe('Europe/Berlin');
    expect(ianaZone('Europe/Paris')).toBe('Europe/Paris');
    expect(ianaZone('Nowhere Standard Time')).toBeNull();
  });
});

describe('busyFromIcs edge cases', () => {
  const wrap = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${body}\r\nEND:VCALENDAR\r\n`;
  const w = {
    zone: 'Europe/London',
    from: Date.parse('2027-01-01T00:00:00Z'),
    to: Date.parse('2027-03-01T00:00:00Z'),
  };

  it('uses a custom VTIMEZONE when the TZID is not a known name', () => {
    const text = wrap(
      [
        'BEGIN:VTIMEZONE',
        'TZID:Customized Time Zone',
        'BEGIN:STANDARD',
        'DTSTART:16010101T000000',
        'TZOFFSETFROM:+0300',
        'TZOFFSETTO:+0300',
        'END:STANDARD',
        'END:VTIMEZONE',
        'BEGIN:VEVENT',
        'UID:c1',
        'DTSTAMP:20270101T000000Z',
        'DTSTART;TZID=Customized Time Zone:20270110T120000',
        'DTEND;TZID=Customized Time Zone:20270110T130000',
        'END:VEVENT',
      ].join('\r\n'),
    );
    expect(busyFromIcs(text, w).ranges).toEqual([
      { start: Date.parse('2027-01-10T09:00:00Z'), end: Date.parse('2027-01-10T10:00:00Z') },
    ]);
  });

  it('stops a runaway rule and keeps the rest of the feed', () => {
    const text = wrap(
      [
        'BEGIN:VEVENT',
        'UID:r1',
        'DTSTAMP:20270101T000000Z',
        'DTSTART:20270101T000000Z',
        'DURATION:PT1S',
        'RRULE:FREQ=SECONDLY',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:ok',
        'DTSTAMP:20270101T000000Z',
        'DTSTART:20270201T100000Z',
        'DTEND:20270201T110000Z',
        'END:VEVENT',
      ].join('\r\n'),
    );
    const { ranges } = busyFromIcs(text, w);
    expect(ranges[ranges.length - 1]).toEqual({
      start: Date.parse('2027-02-01T10:00:00Z'),
      end: Date.parse('2027-02-01T11:00:00Z'),
    });
  });

  it('a DURATION event and a date-only event without DTEND (one day)', () => {
    const text = wrap(
      [
        'BEGIN:VEVENT',
        'UID:d1',
        'DTSTAMP:20270101T000000Z',
        'DTSTART:20270105T100000Z',
        'DURATION:PT45M',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:d2',
        'DTSTAMP:20270101T000000Z',
        'DTSTART;VALUE=DATE:20270107',
        'END:VEVENT',
      ].join('\r\n'),
    );
    expect(busyFromIcs(text, w).ranges).toEqual([
      { start: Date.parse('2027-01-05T10:00:00Z'), end: Date.parse('2027-01-05T10:45:00Z') },
      { start: Date.parse('2027-01-07T00:00:00Z'), end: Date.parse('2027-01-08T00:00:00Z') },
    ]);
  });
});
