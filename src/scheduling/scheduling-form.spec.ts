import { daysOffNotice, readDayOff, settingsNotice } from './scheduling-form';

describe('days off form', () => {
  it('reads whole days in the coach’s zone, one day when "until" is empty', () => {
    const one = readDayOff({ from: '2026-12-24', until: '' }, 'Europe/Berlin');
    expect(one).toEqual({
      ok: true,
      value: { start: '2026-12-23T23:00:00Z', end: '2026-12-24T23:00:00Z' },
    });
  });

  it('refuses a missing first day, an end before the start and a long note', () => {
    expect(readDayOff({ from: '' }, 'UTC')).toMatchObject({
      ok: false,
      errors: { from: [expect.any(String)] },
    });
    expect(readDayOff({ from: '2026-12-24', until: '2026-12-23' }, 'UTC')).toMatchObject({
      ok: false,
      errors: { until: [expect.any(String)] },
    });
    expect(readDayOff({ from: '2026-12-24', reason: 'x'.repeat(201) }, 'UTC')).toMatchObject({
      ok: false,
      errors: { reason: [expect.any(String)] },
    });
  });

  it('says what was saved, and nothing for an unknown value', () => {
    expect(daysOffNotice('off')?.text).toContain('can’t book you');
    expect(daysOffNotice('removed')?.text).toBe('Removed.');
    expect(daysOffNotice('nonsense')).toBeUndefined();
    expect(daysOffNotice('constructor')).toBeUndefined();
    expect(daysOffNotice(undefined)).toBeUndefined();
    // Success says what changed for clients and links to where they see it.
    expect(settingsNotice(true)).toMatchObject({
      text: expect.stringContaining('clients see'),
      link: { href: '/book' },
    });
    expect(settingsNotice(false)).toBeUndefined();
  });
});
