import fc from 'fast-check';
import {
  DAY_MS,
  RecordedStep,
  STEP_COUNT,
  StepStatus,
  stepStatuses,
  nextOpening,
} from './unlocking';

const T0 = new Date('2026-03-01T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const rank: Record<StepStatus, number> = { locked: 0, available: 1, completed: 2 };
const empty = (): RecordedStep[] =>
  Array.from({ length: STEP_COUNT }, () => ({ openedAt: null, completedAt: null }));

/** A member's life in the program: waits, completions of an open step, coach openings. */
type Action = { kind: 'wait'; ms: number } | { kind: 'complete' } | { kind: 'coach'; step: number };
const actionArb = (withCoach: boolean): fc.Arbitrary<Action> =>
  fc.oneof(
    fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 20 * DAY_MS }) }),
    fc.constant({ kind: 'complete' as const }),
    ...(withCoach
      ? [
          fc.record({
            kind: fc.constant('coach' as const),
            step: fc.integer({ min: 1, max: STEP_COUNT }),
          }),
        ]
      : []),
  );

/** Replays actions the way the service does: record every step the first time it is seen open. */
function simulate(
  actions: Action[],
  dripDays: number,
  onEach?: (steps: RecordedStep[], now: Date) => void,
) {
  const steps = empty();
  let now = T0;
  const record = () => {
    for (const v of stepStatuses({ activatedAt: T0, dripDays, steps, now })) {
      if (v.status !== 'locked' && !steps[v.number - 1].openedAt)
        steps[v.number - 1].openedAt = v.availableAt;
    }
  };
  record();
  for (const a of actions) {
    if (a.kind === 'wait') now = new Date(now.getTime() + a.ms);
    if (a.kind === 'coach' && !steps[a.step - 1].openedAt) steps[a.step - 1].openedAt = now;
    if (a.kind === 'complete') {
      const open = stepStatuses({ activatedAt: T0, dripDays, steps, now }).find(
        (v) => v.status === 'available',
      );
      if (open) steps[open.number - 1].completedAt = now;
    }
    record();
    onEach?.(steps, now);
  }
  return { steps, now };
}

describe('stepStatuses', () => {
  it('opens step 1 on activation and nothing else', () => {
    const v = stepStatuses({ activatedAt: T0, dripDays: 7, steps: empty(), now: T0 });
    expect(v[0]).toEqual({ number: 1, status: 'available', availableAt: T0, completedAt: null });
    expect(v.slice(1).every((s) => s.status === 'locked' && s.availableAt === null)).toBe(true);
    expect(nextOpening(v)).toBeNull();
  });

  it('opens step 2 when step 1 is completed and dripDays have passed since step 1 opened', () => {
    const steps = empty();
    steps[0] = { openedAt: T0, completedAt: at(DAY_MS) };
    const before = stepStatuses({ activatedAt: T0, dripDays: 7, steps, now: at(7 * DAY_MS - 1) });
    expect(before[1]).toMatchObject({ status: 'locked', availableAt: at(7 * DAY_MS) });
    expect(nextOpening(before)).toEqual({ number: 2, availableAt: at(7 * DAY_MS) });
    expect(
      stepStatuses({ activatedAt: T0, dripDays: 7, steps, now: at(7 * DAY_MS) })[1].status,
    ).toBe('available');
  });

  it('opens the next step at completion when the drip wait has already passed', () => {
    const steps = empty();
    steps[0] = { openedAt: T0, completedAt: at(10 * DAY_MS) };
    expect(
      stepStatuses({ activatedAt: T0, dripDays: 7, steps, now: at(10 * DAY_MS) })[1],
    ).toMatchObject({ status: 'available', availableAt: at(10 * DAY_MS) });
  });

  it('lets a coach opening open any step early', () => {
    const steps = empty();
    steps[6] = { openedAt: at(5), completedAt: null };
    const v = stepStatuses({ activatedAt: T0, dripDays: 7, steps, now: at(5) });
    expect(v[6].status).toBe('available');
    expect(v[1].status).toBe('locked');
  });

  it('keeps a completed step completed, whatever the inputs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            openedAt: fc.option(fc.integer({ min: 0, max: 100 * DAY_MS })),
            completedAt: fc.option(fc.integer({ min: 0, max: 100 * DAY_MS })),
          }),
          { minLength: STEP_COUNT, maxLength: STEP_COUNT },
        ),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 200 * DAY_MS }),
        (raw, dripDays, nowMs) => {
          const steps = raw.map((r) => ({
            openedAt: r.openedAt === null ? null : at(r.openedAt),
            completedAt: r.completedAt === null ? null : at(r.completedAt),
          }));
          const v = stepStatuses({ activatedAt: T0, dripDays, steps, now: at(nowMs) });
          steps.forEach((s, i) => {
            if (s.completedAt) expect(v[i].status).toBe('completed');
          });
        },
      ),
    );
  });

  it('is monotone in time: a step never goes back from open to locked as time passes', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb(true), { maxLength: 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 60 * DAY_MS }),
        (actions, dripDays, later) => {
          const { steps, now } = simulate(actions, dripDays);
          const a = stepStatuses({ activatedAt: T0, dripDays, steps, now });
          const b = stepStatuses({
            activatedAt: T0,
            dripDays,
            steps,
            now: new Date(now.getTime() + later),
          });
          a.forEach((s, i) => expect(rank[b[i].status]).toBeGreaterThanOrEqual(rank[s.status]));
        },
      ),
    );
  });

  it('has at most one open, unfinished step when the coach opens nothing (one frontier)', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb(false), { maxLength: 60 }),
        fc.integer({ min: 0, max: 14 }),
        (actions, dripDays) => {
          simulate(actions, dripDays, (steps, now) => {
            const v = stepStatuses({ activatedAt: T0, dripDays, steps, now });
            expect(v.filter((s) => s.status === 'available').length).toBeLessThanOrEqual(1);
            // Completed steps form a prefix.
            const firstNotDone = v.findIndex((s) => s.status !== 'completed');
            if (firstNotDone >= 0)
              expect(v.slice(firstNotDone).some((s) => s.status === 'completed')).toBe(false);
          });
        },
      ),
    );
  });

  it('never locks an opened or completed step again when dripDays changes later', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb(true), { maxLength: 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 365 }),
        (actions, dripDays, newDrip) => {
          const { steps, now } = simulate(actions, dripDays);
          const before = stepStatuses({ activatedAt: T0, dripDays, steps, now });
          const after = stepStatuses({ activatedAt: T0, dripDays: newDrip, steps, now });
          before.forEach((s, i) => {
            if (s.status !== 'locked') expect(after[i].status).toBe(s.status);
          });
        },
      ),
    );
  });

  it('waits exactly dripDays after the previous step opened, never less (without coach openings)', () => {
    fc.assert(
      fc.property(
        fc.array(actionArb(false), { maxLength: 60 }),
        fc.integer({ min: 0, max: 14 }),
        (actions, dripDays) => {
          const { steps } = simulate(actions, dripDays);
          for (let i = 1; i < STEP_COUNT; i++) {
            const prev = steps[i - 1];
            const cur = steps[i];
            if (!cur.openedAt) continue;
            expect(prev.completedAt).not.toBeNull();
            expect(cur.openedAt.getTime()).toBeGreaterThanOrEqual(
              prev.openedAt!.getTime() + dripDays * DAY_MS,
            );
            expect(cur.openedAt.getTime()).toBeGreaterThanOrEqual(prev.completedAt!.getTime());
          }
        },
      ),
    );
  });
});
