import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import {
  computeSlots,
  isValidTimeZone,
  localDate,
  localDateWindow,
  SlotQuery,
  SlotRules,
  WeeklyHours,
  wallToInstant,
} from './slots';

const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);
const allDays = (start: string, end: string): WeeklyHours[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

const rules = (over: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 60,
  slotIntervalMinutes: null,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  bookingWindowDays: 730,
  ...over,
});

function query(
  over: Partial<SlotQuery> & { from: string; to: string; visitorZone?: string },
): SlotQuery {
  const coachTimeZone = over.coachTimeZone ?? 'UTC';
  return {
    coachTimeZone,
    weekly: over.weekly ?? allDays('09:00', '17:00'),
    overrides: over.overrides ?? [],
    rules: over.rules ?? rules(),
    window: localDateWindow(over.from, over.to, over.visitorZone ?? coachTimeZone),
    now: over.now ?? at('2026-01-01T00:00:00Z'),
    timeOff: over.timeOff ?? [],
    bookings: over.bookings ?? [],
    maxSessionsPerDay: over.maxSessionsPerDay ?? null,
  };
}

const starts = (q: SlotQuery): string[] => computeSlots(q).map((s) => iso(s.start));

describe('slot engine: basics', () => {
  it('steps through weekly hours in the coach zone, by duration or interval', () => {
    const q = query({
      coachTimeZone: 'Europe/London',
      from: '2026-12-01',
      to: '2026-12-01',
      weekly: allDays('09:00', '12:00'),
    });
    expect(starts(q)).toEqual([
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T11:00:00.000Z',
    ]);
    const half = { ...q, rules: rules({ slotIntervalMinutes: 30 }) };
    expect(starts(half)).toHaveLength(5);
  });

  it('an override replaces the weekday; empty intervals are a day off', () => {
    const q = query({
      from: '2026-12-24',
      to: '2026-12-25',
      overrides: [
        { date: '2026-12-24', intervals: [{ start: '10:00', end: '11:00' }] },
        { date: '2026-12-25', intervals: [] },
      ],
    });
    expect(starts(q)).toEqual(['2026-12-24T10:00:00.000Z']);
  });

  it('keeps buffers clear of other bookings, skips time off, notice and window', () => {
    const q = query({
      from: '2026-12-01',
      to: '2026-12-01',
      rules: rules({ bufferBeforeMinutes: 15, bufferAfterMinutes: 15, minimumNoticeMinutes: 60 }),
      now: at('2026-12-01T08:30:00Z'),
      bookings: [
        {
          start: at('2026-12-01T12:00:00Z'),
          busyStart: at('2026-12-01T12:00:00Z'),
          busyEnd: at('2026-12-01T13:00:00Z'),
        },
      ],
      timeOff: [{ start: at('2026-12-01T15:00:00Z'), end: at('2026-12-01T16:00:00Z') }],
    });
    // 09:00 is inside notice (now 08:30 + 60 min); 11:00's buffer touches 12:00; 13:00's buffer starts 12:45.
    expect(starts(q)).toEqual([
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T14:00:00.000Z',
      '2026-12-01T16:00:00.000Z',
    ]);
    const near = { ...q, rules: rules({ bookingWindowDays: 1 }), now: at('2026-11-30T14:30:00Z') };
    expect(starts(near).at(-1)).toBe('2026-12-01T14:00:00.000Z');
  });

  it('honours the daily limit on the coach-local date', () => {
    const q = query({
      coachTimeZone: 'America/New_York',
      from: '2026-12-01',
      to: '2026-12-02',
      maxSessionsPerDay: 1,
      weekly: allDays('20:00', '22:00'),
      bookings: [
        {
          start: at('2026-12-02T01:00:00Z'),
          busyStart: at('2026-12-02T01:00:00Z'),
          busyEnd: at('2026-12-02T02:00:00Z'),
        },
      ],
    });
    // The booking is on Dec 1 in New York (20:00 EST), so Dec 1 is full; Dec 2 is open.
    expect(starts(q)).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T02:00:00.000Z']);
  });

  it('knows real zones from made-up ones', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('slot engine: DST and odd zones', () => {
  it('US spring forward: 02:30 in the gap moves later; hours after 13:00 stay put', () => {
    const q = query({
      coachTimeZone: 'America/New_York',
      from: '2026-03-08',
      to: '2026-03-08',
      weekly: allDays('01:30', '04:00'),
    });
    // 01:30 EST = 06:30Z; 04:00 EDT = 08:00Z: 1.5 elapsed hours → one 60-min slot.
    expect(starts(q)).toEqual(['2026-03-08T06:30:00.000Z']);
    expect(wallToInstant(Temporal.PlainDate.from('2026-03-08'), '02:30', 'America/New_York')).toBe(
      at('2026-03-08T07:30:00Z'),
    );
    const afternoon = query({
      coachTimeZone: 'America/New_York',
      from: '2026-03-08',
      to: '2026-03-08',
      weekly: allDays('13:00', '16:00'),
    });
    expect(starts(afternoon)).toEqual([
      '2026-03-08T17:00:00.000Z',
      '2026-03-08T18:00:00.000Z',
      '2026-03-08T19:00:00.000Z',
    ]);
  });

  it('US fall back: 01:00–03:00 holds three elapsed hours, 01:00 offered twice', () => {
    const q = query({
      coachTimeZone: 'America/New_York',
      from: '2026-11-01',
      to: '2026-11-01',
      weekly: allDays('01:00', '03:00'),
    });
    expect(starts(q)).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
    const local = computeSlots(q).map((s) =>
      Temporal.Instant.fromEpochMilliseconds(s.start)
        .toZonedDateTimeISO('America/New_York')
        .toPlainTime()
        .toString(),
    );
    expect(local).toEqual(['01:00:00', '01:00:00', '02:00:00']);
    const afternoon = query({
      coachTimeZone: 'America/New_York',
      from: '2026-11-01',
      to: '2026-11-01',
      weekly: allDays('14:00', '15:00'),
    });
    expect(starts(afternoon)).toEqual(['2026-11-01T19:00:00.000Z']);
  });

  it('Europe spring forward and fall back, afternoon hours included', () => {
    const spring = query({
      coachTimeZone: 'Europe/Berlin',
      from: '2026-03-29',
      to: '2026-03-29',
      weekly: allDays('13:30', '15:30'),
    });
    expect(starts(spring)).toEqual(['2026-03-29T11:30:00.000Z', '2026-03-29T12:30:00.000Z']);
    const fall = query({
      coachTimeZone: 'Europe/London',
      from: '2026-10-25',
      to: '2026-10-25',
      weekly: allDays('00:30', '02:30'),
    });
    // 00:30 BST = 23:30Z (Oct 24); 02:30 GMT = 02:30Z: three elapsed hours.
    expect(starts(fall)).toEqual([
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
    const late = query({
      coachTimeZone: 'Europe/London',
      from: '2026-10-25',
      to: '2026-10-25',
      weekly: allDays('17:00', '18:00'),
    });
    expect(starts(late)).toEqual(['2026-10-25T17:00:00.000Z']);
  });

  it('half-hour zones: Asia/Kolkata', () => {
    const q = query({
      coachTimeZone: 'Asia/Kolkata',
      from: '2026-12-01',
      to: '2026-12-01',
      weekly: allDays('09:00', '11:00'),
    });
    expect(starts(q)).toEqual(['2026-12-01T03:30:00.000Z', '2026-12-01T04:30:00.000Z']);
  });

  it('a DST change at midnight (America/Santiago): 00:00 does not exist and moves to 01:00', () => {
    const tz = 'America/Santiago';
    expect(
      Temporal.PlainDate.from('2026-09-06')
        .toZonedDateTime({ timeZone: tz })
        .toPlainTime()
        .toString(),
    ).toBe('01:00:00');
    const q = query({
      coachTimeZone: tz,
      from: '2026-09-06',
      to: '2026-09-06',
      weekly: allDays('00:00', '02:00'),
    });
    // 00:00 → 01:00 -03 = 04:00Z; 02:00 -03 = 05:00Z: one slot.
    expect(starts(q)).toEqual(['2026-09-06T04:00:00.000Z']);
    const afternoon = query({
      coachTimeZone: tz,
      from: '2026-09-06',
      to: '2026-09-06',
      weekly: allDays('15:00', '16:00'),
    });
    expect(starts(afternoon)).toEqual(['2026-09-06T18:00:00.000Z']);
  });
});

const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
];
// Days around DST changes in several zones.
const DAYS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-04',
  '2026-04-05',
  '2026-09-06',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2026-12-01',
];

const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const arbWeekly = fc
  .uniqueArray(fc.integer({ min: 0, max: 47 }), { minLength: 2, maxLength: 8 })
  .map((points) => {
    const p = [...points].sort((a, b) => a - b);
    const out: { start: string; end: string }[] = [];
    for (let i = 0; i + 1 < p.length; i += 2)
      out.push({ start: hhmm(p[i] * 30), end: hhmm(p[i + 1] * 30) });
    return out;
  });
const arbRanges = (base: number) =>
  fc
    .array(
      fc.tuple(
        fc.integer({ min: -2 * 24 * 60, max: 4 * 24 * 60 }),
        fc.integer({ min: 5, max: 300 }),
      ),
      { maxLength: 6 },
    )
    .map((xs) =>
      xs.map(([offset, len]) => ({ start: base + offset * MIN, end: base + (offset + len) * MIN })),
    );

const arbQuery = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    visitor: fc.constantFrom(...ZONES),
    day: fc.constantFrom(...DAYS),
    weekly: arbWeekly,
    duration: fc.constantFrom(15, 20, 30, 45, 50, 60, 90),
    interval: fc.option(fc.constantFrom(10, 15, 30, 60), { nil: null }),
    before: fc.constantFrom(0, 5, 10),
    after: fc.constantFrom(0, 10, 15),
    seed: fc.integer({ min: 0, max: 1 }),
  })
  .chain((r) => {
    const base = at(`${r.day}T00:00:00Z`);
    return fc.record({ r: fc.constant(r), bookings: arbRanges(base), timeOff: arbRanges(base) });
  })
  .map(({ r, bookings, timeOff }) => {
    const from = r.day;
    const to = Temporal.PlainDate.from(r.day).add({ days: 2 }).toString();
    const q = query({
      coachTimeZone: r.zone,
      visitorZone: r.visitor,
      from,
      to,
      weekly: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => r.weekly.map((w) => ({ weekday, ...w }))),
      rules: rules({
        durationMinutes: r.duration,
        slotIntervalMinutes: r.interval,
        bufferBeforeMinutes: r.before,
        bufferAfterMinutes: r.after,
      }),
      bookings: bookings.map((b) => ({ start: b.start, busyStart: b.start, busyEnd: b.end })),
      timeOff,
      now: at('2026-01-01T00:00:00Z'),
    });
    return { q, r, from, to };
  });

describe('slot engine: properties', () => {
  it('every slot is inside availability, outside time off, clear of bookings, unique, ascending', () => {
    fc.assert(
      fc.property(arbQuery, ({ q }) => {
        const slots = computeSlots(q);
        const dur = q.rules.durationMinutes * MIN;
        for (let i = 0; i < slots.length; i++) {
          const s = slots[i];
          if (i > 0) expect(s.start).toBeGreaterThan(slots[i - 1].start);
          expect(s.end - s.start).toBe(dur);
          expect(s.start >= q.window.start && s.start < q.window.end).toBe(true);
          // Inside some interval of its coach-local date (or the day before, for 24:00 ends).
          const d = Temporal.PlainDate.from(localDate(s.start, q.coachTimeZone));
          const within = [d, d.subtract({ days: 1 })].some((day) => {
            const o = q.overrides.find((x) => x.date === day.toString());
            const wall = o ? o.intervals : q.weekly.filter((w) => w.weekday === day.dayOfWeek);
            return wall.some(
              (w) =>
                s.start >= wallToInstant(day, w.start, q.coachTimeZone) &&
                s.end <= wallToInstant(day, w.end, q.coachTimeZone),
            );
          });
          expect(within).toBe(true);
          for (const t of q.timeOff) expect(s.start < t.end && t.start < s.end).toBe(false);
          const bs = s.start - q.rules.bufferBeforeMinutes * MIN;
          const be = s.end + q.rules.bufferAfterMinutes * MIN;
          for (const b of q.bookings) expect(bs < b.busyEnd && b.busyStart < be).toBe(false);
          // The start is a real wall time in the coach's zone: reading it back gives the same instant.
          const zdt = Temporal.Instant.fromEpochMilliseconds(s.start).toZonedDateTimeISO(
            q.coachTimeZone,
          );
          const readBack = (['earlier', 'later'] as const).map(
            (d) =>
              zdt.toPlainDateTime().toZonedDateTime(q.coachTimeZone, { disambiguation: d })
                .epochMilliseconds,
          );
          expect(readBack).toContain(s.start);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the visitor zone only moves the date window, never the slots', () => {
    fc.assert(
      fc.property(arbQuery, fc.constantFrom(...ZONES), ({ q, from, to }, other) => {
        const q2 = { ...q, window: localDateWindow(from, to, other) };
        const a = computeSlots(q);
        const b = computeSlots(q2);
        const lo = Math.max(q.window.start, q2.window.start);
        const hi = Math.min(q.window.end, q2.window.end);
        const inBoth = (s: { start: number }) => s.start >= lo && s.start < hi;
        expect(a.filter(inBoth)).toEqual(b.filter(inBoth));
      }),
      { numRuns: 100 },
    );
  });

  it('a booking made on an offered slot removes exactly the slots its busy range touches', () => {
    fc.assert(
      fc.property(arbQuery, fc.nat(), ({ q }, pick) => {
        const before = computeSlots(q);
        if (!before.length) return;
        const chosen = before[pick % before.length];
        const busyStart = chosen.start - q.rules.bufferBeforeMinutes * MIN;
        const busyEnd = chosen.end + q.rules.bufferAfterMinutes * MIN;
        const after = computeSlots({
          ...q,
          bookings: [...q.bookings, { start: chosen.start, busyStart, busyEnd }],
        });
        expect(after.some((s) => s.start === chosen.start)).toBe(false);
        for (const s of before) {
          const clashes =
            s.start - q.rules.bufferBeforeMinutes * MIN < busyEnd &&
            busyStart < s.end + q.rules.bufferAfterMinutes * MIN;
          expect(after.some((x) => x.start === s.start)).toBe(!clashes);
        }
      }),
      { numRuns: 60 },
    );
  });
});
