import { availabilityProblems } from './availability-rules';
import {
  readOverrideForm,
  readWeeklyRows,
  rowAction,
  rowsFromAvailability,
  rowsFromBody,
  withOverride,
  withoutOverride,
} from './availability-form';

describe('weekly hours as time-picker rows', () => {
  it('round-trips the API shape, midnight as the end of the day', () => {
    const weekly = [
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 1, start: '13:00', end: '24:00' },
      { weekday: 7, start: '10:00', end: '11:00' },
    ];
    const rows = rowsFromAvailability(weekly);
    expect(rows[0]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '00:00' },
    ]);
    expect(rows[1]).toEqual([]);
    expect(readWeeklyRows(rows).weekly).toEqual(weekly);
  });

  it('ignores empty rows, refuses half rows on the missing side, reads seconds from pickers', () => {
    const rows = rowsFromBody({
      'day2-start-0': '',
      'day2-end-0': '',
      'day2-start-1': '09:00:00',
      'day2-end-1': '10:30:00',
      'day3-start-0': '09:00',
      'day3-end-0': '',
    });
    const read = readWeeklyRows(rows);
    expect(read.weekly).toEqual([{ weekday: 2, start: '09:00', end: '10:30' }]);
    expect(Object.keys(read.errors)).toEqual(['day3-end-0']);
  });

  it('maps the rules’ keys back to the row the interval came from', () => {
    const rows = rowsFromBody({
      'day1-start-0': '',
      'day1-end-0': '',
      'day1-start-1': '12:00',
      'day1-end-1': '10:00',
    });
    const read = readWeeklyRows(rows);
    const problems = availabilityProblems('Europe/London', read.weekly, []);
    expect(Object.keys(problems).map(read.mapKey)).toEqual(['day1-end-1']);
    expect(read.mapKey('weekly.weekday1')).toBe('day1');
    expect(read.mapKey('timeZone')).toBe('timeZone');
  });

  it('adds and removes rows without saving', () => {
    const rows = rowsFromAvailability([{ weekday: 1, start: '09:00', end: '12:00' }]);
    expect(rowAction({ add: '1' }, rows)![0]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '', end: '' },
    ]);
    expect(rowAction({ add: '2' }, rows)![1]).toEqual([{ start: '09:00', end: '17:00' }]);
    expect(rowAction({ remove: '1-0' }, rows)![0]).toEqual([]);
    expect(rowAction({ add: '8' }, rows)).toBeNull();
    expect(rowAction({ remove: '1-x' }, rows)).toBeNull();
    expect(rows[0]).toHaveLength(1); // the input is not changed
  });

  it('adds, replaces and removes a date override', () => {
    const a = { timeZone: 'UTC', weekly: [], overrides: [{ date: '2030-01-01', intervals: [] }] };
    const b = withOverride(a, {
      date: '2030-01-01',
      intervals: [{ start: '10:00', end: '12:00' }],
    });
    expect(b.overrides).toEqual([
      { date: '2030-01-01', intervals: [{ start: '10:00', end: '12:00' }] },
    ]);
    expect(withoutOverride(b, '2030-01-01').overrides).toEqual([]);
    expect(readOverrideForm({ date: '2030-01-02', start: '10:00', end: '00:00' })).toEqual({
      ok: true,
      value: { date: '2030-01-02', intervals: [{ start: '10:00', end: '24:00' }] },
    });
    expect(readOverrideForm({ date: 'tomorrow', start: '', end: '10:00' }).ok).toBe(false);
  });
});
