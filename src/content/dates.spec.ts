import fc from 'fast-check';
import { instantToLocal, localToInstant, longDate } from './dates';

const intl = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

describe('longDate', () => {
  it('reads like an en-GB long date in UTC', () => {
    expect(longDate('2026-11-25T23:30:00Z')).toBe('25 November 2026');
    expect(longDate(new Date('2027-01-01T00:00:00Z'))).toBe('1 January 2027');
    expect(longDate(null)).toBe('');
    expect(longDate('')).toBe('');
  });

  it('matches Intl for any date from 1000 to 9999', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(longDate(d)).toBe(intl.format(d));
          expect(longDate(d.toISOString())).toBe(intl.format(d));
        },
      ),
    );
  });

  it('rejects an invalid date as Intl did', () => {
    expect(() => longDate('not a date')).toThrow(RangeError);
  });
});

describe('localToInstant / instantToLocal', () => {
  it('reads wall time in the coach’s zone, both ways', () => {
    expect(localToInstant('2026-12-24T08:00', 'America/New_York')).toBe('2026-12-24T13:00:00Z');
    expect(instantToLocal('2026-12-24T13:00:00Z', 'America/New_York')).toBe('2026-12-24T08:00');
    expect(localToInstant('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00Z'); // gap: later
  });
  it('refuses what is not a date and time', () => {
    expect(localToInstant('tomorrow', 'UTC')).toBeNull();
    expect(localToInstant('2026-13-01T08:00', 'UTC')).toBeNull();
    expect(localToInstant('2026-12-01T08:00', 'Not/AZone')).toBeNull();
  });
});
