/**
 * The 12 Steps unlocking rule, as a pure function (no clock, no database).
 *
 * - Step 1 opens when the enrollment is activated.
 * - Step n+1 opens when step n is completed AND `dripDays` have passed since step n opened:
 *   availableAt(n+1) = max(completedAt(n), openedAt(n) + dripDays).
 * - A step that has opened keeps its recorded `openedAt` (the service stores it the first time the
 *   step is seen open), so a later change of `dripDays` can never lock it again; a completed step
 *   is open forever.
 * - The coach can open any step for one member: that is simply a recorded `openedAt`.
 */
export const STEP_COUNT = 12;
export const DAY_MS = 86_400_000;

export type StepStatus = 'locked' | 'available' | 'completed';

export interface RecordedStep {
  /** When the step was first seen open (or the coach opened it); null if never recorded. */
  openedAt: Date | null;
  completedAt: Date | null;
}

export interface UnlockInput {
  activatedAt: Date;
  dripDays: number;
  /** Index 0 is step 1; missing entries count as never opened or completed. */
  steps: RecordedStep[];
  now: Date;
}

export interface StepView {
  number: number;
  status: StepStatus;
  /** When the step opens or opened; null when it can't be known yet (the previous step isn't done). */
  availableAt: Date | null;
  completedAt: Date | null;
}

function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

function minDate(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

export function stepStatuses(input: UnlockInput): StepView[] {
  const out: StepView[] = [];
  for (let i = 0; i < STEP_COUNT; i++) {
    const recorded = input.steps[i] ?? { openedAt: null, completedAt: null };
    let byRule: Date | null = null;
    if (i === 0) {
      byRule = input.activatedAt;
    } else {
      const prev = out[i - 1];
      if (prev.completedAt && prev.availableAt) {
        byRule = maxDate(
          prev.completedAt,
          new Date(prev.availableAt.getTime() + input.dripDays * DAY_MS),
        );
      }
    }
    // A recorded opening (first sighting or the coach's) can only make a step open earlier.
    const availableAt =
      minDate(recorded.openedAt, byRule) ?? (recorded.completedAt ? recorded.completedAt : null);
    const status: StepStatus = recorded.completedAt
      ? 'completed'
      : availableAt && availableAt.getTime() <= input.now.getTime()
        ? 'available'
        : 'locked';
    out.push({ number: i + 1, status, availableAt, completedAt: recorded.completedAt });
  }
  return out;
}

/** The next step that will open, and when (null when nothing is scheduled to open). */
export function nextOpening(views: StepView[]): { number: number; availableAt: Date } | null {
  const next = views.find((v) => v.status === 'locked' && v.availableAt);
  return next?.availableAt ? { number: next.number, availableAt: next.availableAt } : null;
}
