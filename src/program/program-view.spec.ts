import { MyProgramDto, ProgramDto } from './dto/program.dto';
import { dripDaysText, programIndexPage, stepsPage } from './program-view';

const program: ProgramDto = {
  title: 'The 12 Steps',
  description: 'x'.repeat(300),
  price: 19900,
  currency: 'usd',
  dripDays: 1,
  steps: [],
};

function me(status: string, statuses: string[]): MyProgramDto {
  return {
    enrollment: { id: 'e', status, shareProgress: false, shareProgressChosen: false },
    progress: {
      completed: statuses.filter((s) => s === 'completed').length,
      total: statuses.length,
    },
    steps: statuses.map((s, i) => ({
      number: i + 1,
      title: `Step ${i + 1}`,
      status: s,
      availableAt: s === 'locked' ? '2026-12-08T16:40:00.000Z' : null,
      completedAt: s === 'completed' ? '2026-12-01T09:00:00.000Z' : null,
    })),
  };
}

describe('program view models', () => {
  it('offers each reader the one next thing: continue, edit, enroll or sign in', () => {
    const active = me('active', ['available']);
    expect(programIndexPage(program, 'client', active, false).offer).toBe('continue');
    expect(programIndexPage(program, 'coach', null, false).offer).toBe('edit');
    expect(programIndexPage(program, 'client', null, true).offer).toBe('enroll');
    expect(programIndexPage(program, 'client', me('refunded', ['available']), false).offer).toBe(
      'enroll',
    );
    expect(programIndexPage(program, null, null, false).offer).toBe('sign-in');
    expect(programIndexPage(program, null, null, false).price).toBe('$199.00');
  });

  it('says the wait between steps in words', () => {
    expect(dripDaysText(0)).toBeNull();
    expect(dripDaysText(1)).toBe('1 day');
    expect(dripDaysText(7)).toBe('7 days');
  });

  it('links only the steps an active member can read, with the badge each shows', () => {
    const page = stepsPage(
      me('active', ['completed', 'available', 'locked']),
      program,
      'Europe/London',
      {
        completed: '1',
      },
    );
    const steps = page.steps as {
      readable: boolean;
      badge: string;
      availableLabel: string | null;
    }[];
    expect(steps.map((s) => [s.readable, s.badge])).toEqual([
      [true, 'Completed'],
      [true, 'Open'],
      [false, 'Locked'],
    ]);
    expect(steps[2].availableLabel).toMatch(/8 Dec 2026, 16:40 GMT/);
    expect(page.closedBecause).toBeNull();
    expect(page.finished).toBe(false);
    expect((page.completedStep as { number: number }).number).toBe(1);
  });

  it('closes every step of a refunded or expired enrollment, saying why', () => {
    const refunded = stepsPage(me('refunded', ['completed', 'available']), program, null, {});
    expect(refunded.closedBecause).toBe('refunded');
    expect(
      (refunded.steps as { readable: boolean; badge: string }[]).map((s) => [s.readable, s.badge]),
    ).toEqual([
      [false, 'Completed'],
      [false, 'Locked'],
    ]);
    expect(stepsPage(me('expired', ['available']), program, null, {}).closedBecause).toBe('ended');
    // A completed flag for a step not completed shows nothing.
    expect(
      stepsPage(me('active', ['available']), program, null, { completed: '1' }).completedStep,
    ).toBeNull();
  });
});
