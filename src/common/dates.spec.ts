import {
  formatDate,
  formatLocalDay,
  formatMoment,
  formatShort,
  formatTime,
  formatWhen,
  pickLocale,
} from './dates';

describe('dates for people', () => {
  it('picks the reader’s language from Accept-Language, en-GB by default', () => {
    expect(pickLocale(undefined)).toBe('en-GB');
    expect(pickLocale('')).toBe('en-GB');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en-US');
    expect(pickLocale('fr-FR,en-US;q=0.8,en-GB;q=0.9')).toBe('en-GB');
    expect(pickLocale('de-DE,de;q=0.9')).toBe('en-GB');
    expect(pickLocale('en')).toBe('en-GB');
    expect(pickLocale('en-us;q=0, en-au')).toBe('en-AU');
    expect(pickLocale('x'.repeat(100_000))).toBe('en-GB');
  });

  it('formats an instant in the reader’s zone and language, never in UTC unless asked', () => {
    const at = '2026-12-08T16:40:00Z';
    expect(formatWhen(at, 'Europe/London')).toBe('Tuesday, 8 December 2026 at 16:40 GMT');
    expect(formatWhen(at, 'America/New_York', 'en-US')).toBe(
      'Tuesday, December 8, 2026 at 11:40 AM EST',
    );
    expect(formatTime(at, 'Asia/Kolkata')).toBe('22:10');
    expect(formatDate('2026-12-08T23:30:00Z', 'Asia/Tokyo')).toBe('9 December 2026');
    expect(formatShort(at, 'Europe/London')).toBe('8 Dec 2026, 16:40');
    expect(formatLocalDay('2026-12-24')).toBe('Thursday 24 December');
  });

  it('refuses an invalid instant instead of printing "Invalid Date"', () => {
    expect(() => formatWhen('not a date', 'UTC')).toThrow(RangeError);
  });

  it('shows a moment in the person’s zone, or only its date when their zone is unknown (never a UTC clock time)', () => {
    expect(formatMoment('2026-07-08T17:00:00Z', 'Europe/London')).toBe('8 Jul 2026, 18:00 BST');
    expect(formatMoment('2026-03-08T17:00:00Z', null)).toBe('8 March 2026');
    expect(formatMoment('2026-07-08T17:00:00Z', 'Not/AZone')).toBe('8 July 2026');
    expect(formatMoment(null, 'UTC')).toBeNull();
  });
});
