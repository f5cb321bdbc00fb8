import { isoInstant, parseDateOnly } from './slot-format';

describe('isoInstant', () => {
  it('is exactly Date#toISOString for whole milliseconds, before and after 1970', () => {
    const samples = [
      0,
      -1,
      1,
      86_399_999,
      86_400_000,
      Date.UTC(2026, 2, 29, 0, 59, 59, 999),
      Date.UTC(2024, 1, 29, 23, 30),
      Date.UTC(1969, 11, 31, 23, 59, 59, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1, 0, 0, 0, 5), // an extended year: "+010000-…"
      -62_198_755_200_000, // year 0
    ];
    let seed = 42;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      samples.push(Math.floor((seed / 2 ** 31) * 8e12) - 2e12);
    }
    for (const ms of samples)
      expect([ms, isoInstant(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });

  it('falls back to Date for fractional milliseconds', () => {
    expect(isoInstant(1.5)).toBe(new Date(1.5).toISOString());
  });
});

describe('parseDateOnly', () => {
  it('gives the day number of a real date', () => {
    expect(parseDateOnly('1970-01-01')).toBe(0);
    expect(parseDateOnly('1970-01-02')).toBe(1);
    expect(parseDateOnly('1969-12-31')).toBe(-1);
    expect(parseDateOnly('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
    expect(parseDateOnly('0001-01-01')).toBe(-719_162);
  });

  it('refuses what is not a real YYYY-MM-DD date', () => {
    for (const bad of [
      '2023-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-4-1',
      '2026-04-01T00:00',
      ' 2026-04-01',
      '',
      '+02026-04-01',
      undefined,
      ['2026-04-01'],
    ])
      expect(parseDateOnly(bad)).toBeNull();
  });
});
