import { dayPicker, SlotsBetween } from './day-picker-view';

/** Open times every day 09:00 and 10:00 UTC from `opensOn` on, as the slots query would answer. */
function timesFrom(opensOn: string): { asked: [string, string][]; slots: SlotsBetween } {
  const asked: [string, string][] = [];
  const slots: SlotsBetween = async (from, to) => {
    asked.push([from, to]);
    const out: { start: string }[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`);) {
      const day = d.toISOString().slice(0, 10);
      if (day >= opensOn) out.push({ start: `${day}T09:00:00Z` }, { start: `${day}T10:00:00Z` });
      d = new Date(d.getTime() + 86_400_000);
    }
    return out;
  };
  return { asked, slots };
}

describe('dayPicker', () => {
  it('shows this month from today, the first day with times selected', async () => {
    const { asked, slots } = timesFrom('2026-12-03');
    const p = await dayPicker(slots, 'UTC', new Date('2026-12-02T16:30:00Z'), {}, 'en-GB');
    expect(asked).toEqual([['2026-12-02', '2026-12-31']]);
    expect(p.month).toBe('2026-12');
    expect(p.selected?.date).toBe('2026-12-03');
    expect(p.previousMonth).toBeNull();
  });

  it('on the last evening of a month, the first page shows the next month with its times', async () => {
    const { slots } = timesFrom('2027-01-02');
    const p = await dayPicker(slots, 'UTC', new Date('2026-12-31T18:00:00Z'), {}, 'en-GB');
    expect(p.month).toBe('2027-01');
    expect(p.selected?.date).toBe('2027-01-02');
    expect(p.previousMonth).toBe('2026-12');
    expect(p.nextMonth).toBe('2027-02');
  });

  it('keeps a month or a day that was asked for, even without times', async () => {
    const { slots } = timesFrom('2027-01-02');
    const now = new Date('2026-12-31T18:00:00Z');
    const month = await dayPicker(slots, 'UTC', now, { month: '2026-12' }, 'en-GB');
    expect(month.month).toBe('2026-12');
    expect(month.days).toEqual([]);
    expect(month.selected).toBeNull();
    const day = await dayPicker(slots, 'UTC', now, { date: '2026-12-31' }, 'en-GB');
    expect(day.month).toBe('2026-12');
    expect(day.selected).toBeNull();
  });

  it('stays on this month when the next one has no times either', async () => {
    const { slots } = timesFrom('2027-03-01');
    const p = await dayPicker(slots, 'UTC', new Date('2026-12-31T18:00:00Z'), {}, 'en-GB');
    expect(p.month).toBe('2026-12');
    expect(p.days).toEqual([]);
  });
});
