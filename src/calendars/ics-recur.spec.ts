import ICAL from 'ical.js';
import { expandSeries, simpleSeries } from './ics-recur';

const DAY = 86_400_000;
const vevent = (...lines: string[]) =>
  new ICAL.Component(
    ICAL.parse(
      ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:x', ...lines, 'END:VEVENT', 'END:VCALENDAR'].join(
        '\r\n',
      ),
    ) as unknown[],
  ).getFirstSubcomponent('vevent')!;
const wallOf = (t: ICAL.Time) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

/** Wall times ical.js gives for the series, up to `lastWall`. */
function reference(v: ICAL.Component, lastWall: number): number[] {
  const out: number[] = [];
  const it = new ICAL.Event(v).iterator();
  for (let next: ICAL.Time | null, n = 0; n < 5000 && (next = it.next()); n++) {
    if (wallOf(next) > lastWall) break;
    out.push(wallOf(next));
  }
  // DTSTART is always busy (ical.js leaves a DTSTART outside a WEEKLY BYDAY out; ics-busy adds it)
  const start = wallOf(v.getFirstPropertyValue('dtstart') as ICAL.Time);
  if (out[0] !== start && start <= lastWall) out.unshift(start);
  return out;
}

function ours(v: ICAL.Component, firstWall: number, lastWall: number): number[] {
  const out: number[] = [];
  const series = simpleSeries(v);
  if (!series) throw new Error('not a simple series');
  const start = wallOf(v.getFirstPropertyValue('dtstart') as ICAL.Time);
  expandSeries(
    series,
    start,
    { firstWall, lastWall },
    (w) => w,
    (w) => out.push(w),
  );
  return out;
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('expandSeries agrees with ical.js', () => {
  it('on 400 random DAILY/WEEKLY rules (INTERVAL, BYDAY, WKST, COUNT, UNTIL), whole and windowed', () => {
    const rnd = random(17);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15);
    for (let i = 0; i < 400; i++) {
      const start =
        Date.UTC(2025, 0, 1) + Math.floor(rnd() * 400) * DAY + pick([8, 9.5, 23]) * 3_600_000;
      const freq = pick(['DAILY', 'WEEKLY']);
      // (not DAILY;INTERVAL=7 with BYDAY: ical.js loops forever when no day can match; see below)
      const parts = [
        `FREQ=${freq}`,
        `INTERVAL=${pick(freq === 'DAILY' ? [1, 1, 2, 3] : [1, 1, 2, 3, 7])}`,
      ];
      if (rnd() < 0.6) {
        const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].filter(() => rnd() < 0.35);
        if (days.length) parts.push(`BYDAY=${days.join(',')}`);
      }
      if (rnd() < 0.3) parts.push(`WKST=${pick(['SU', 'MO', 'WE'])}`);
      const end = rnd();
      // UNTIL at 12:00Z never equals an instance's time (8:00, 9:30, 23:00): same result either way of comparing.
      if (end < 0.3) parts.push(`COUNT=${1 + Math.floor(rnd() * 40)}`);
      else if (end < 0.6)
        parts.push(
          `UNTIL=${stamp(start + Math.floor(rnd() * 200) * DAY + (12 * 3600_000 - (start % DAY)))}Z`,
        );
      const v = vevent(
        `DTSTART:${stamp(start)}Z`,
        `DTEND:${stamp(start + 3600_000)}Z`,
        `RRULE:${parts.join(';')}`,
      );
      const lastWall = start + 500 * DAY;
      const all = reference(v, lastWall);
      expect({ rule: parts.join(';'), walls: ours(v, -Infinity, lastWall) }).toEqual({
        rule: parts.join(';'),
        walls: all,
      });
      const firstWall = start + Math.floor(rnd() * 300) * DAY;
      expect(ours(v, firstWall, lastWall)).toEqual(all.filter((w) => w >= firstWall));
    }
  });

  it('DTSTART is busy even when the rule would not give it (and then does not count)', () => {
    // Tuesday 2 March 2027, weekly on Mondays, three of them
    const v = vevent(
      'DTSTART:20270302T100000',
      'DTEND:20270302T110000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3',
    );
    const walls = ours(v, -Infinity, Infinity).map((w) => new Date(w).toISOString().slice(0, 10));
    expect(walls).toEqual(['2027-03-02', '2027-03-08', '2027-03-15', '2027-03-22']);
    expect(walls).toEqual(
      reference(v, Infinity).map((w) => new Date(w).toISOString().slice(0, 10)),
    );
  });

  it('leaves other rules to ical.js, and stops on a DAILY rule no day can match', () => {
    for (const rule of [
      'FREQ=MONTHLY',
      'FREQ=WEEKLY;BYDAY=1MO',
      'FREQ=DAILY;BYHOUR=9',
      'FREQ=WEEKLY;BYSETPOS=1;BYDAY=MO,TU',
    ])
      expect(simpleSeries(vevent('DTSTART:20270302T100000Z', `RRULE:${rule}`))).toBeNull();
    expect(
      simpleSeries(
        vevent('DTSTART:20270302T100000Z', 'RRULE:FREQ=DAILY', 'RDATE:20270310T100000Z'),
      ),
    ).toBeNull();
    const never = vevent('DTSTART:20270302T100000Z', 'RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=MO');
    expect(ours(never, -Infinity, Infinity)).toEqual([Date.UTC(2027, 2, 2, 10)]);
  });
});
