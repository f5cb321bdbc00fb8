import { daysOffView, wholeDays } from './days-off-view';

describe('days off', () => {
  it('turns dates into whole days in the coach’s zone, across a clock change', () => {
    // New York springs forward on 2030-03-10: that day is 23 hours long.
    expect(wholeDays('America/New_York', '2030-03-09', '2030-03-10')).toEqual({
      start: '2030-03-09T05:00:00Z',
      end: '2030-03-11T04:00:00Z',
    });
    expect(wholeDays('Europe/London', '2030-07-08', '')).toEqual({
      start: '2030-07-07T23:00:00Z',
      end: '2030-07-08T23:00:00Z',
    });
    expect(() => wholeDays('UTC', '2030-02-30', '')).toThrow(RangeError);
  });

  it('lists time off and overrides together, soonest first', () => {
    const items = daysOffView(
      'UTC',
      [
        { id: 'a', start: '2030-07-08T00:00:00Z', end: '2030-07-11T00:00:00Z', reason: 'Summer' },
        { id: 'b', start: '2030-01-01T09:00:00Z', end: '2030-01-01T11:30:00Z', reason: null },
      ],
      [{ date: '2030-03-01', intervals: [{ start: '10:00', end: '12:00' }] }],
    );
    expect(items.map((i) => [i.kind, i.detail])).toEqual([
      ['time-off', 'Time off'],
      ['override', 'Only 10:00–12:00 (instead of the weekly hours)'],
      ['time-off', 'Days off'],
    ]);
    expect(items[2].label).toBe('Monday 8 July to Wednesday 10 July 2030');
  });
});
