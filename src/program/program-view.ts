import { formatMoment } from '../common/dates';
import { formatMoney } from '../common/money';
import { PageData } from '../web/page';
import { MemberStepDetailDto, MyProgramDto, ProgramDto, REFLECTION_MAX } from './dto/program.dto';

/** View models of the member's program pages: the public page, the steps list, a step. */

type Query = Record<string, string | undefined>;

/** The wait between steps in words ("7 days", "1 day"), or null when there is none. */
export const dripDaysText = (days: number): string | null =>
  days > 0 ? `${days} day${days === 1 ? '' : 's'}` : null;

/**
 * What the program page offers its reader: an active member her steps, the coach her editor, a
 * signed-in reader the enroll button, anyone else a way to sign in or sign up and come back.
 */
export type ProgramOffer = 'continue' | 'edit' | 'enroll' | 'sign-in';

export function programIndexPage(
  program: ProgramDto,
  viewerRole: string | null,
  membership: MyProgramDto | null,
  pending: boolean,
  error: string | null = null,
): PageData {
  const active = membership?.enrollment.status === 'active';
  const offer: ProgramOffer = active
    ? 'continue'
    : viewerRole === 'coach'
      ? 'edit'
      : viewerRole
        ? 'enroll'
        : 'sign-in';
  return {
    offer,
    pending,
    dripDaysText: dripDaysText(program.dripDays),
    title: program.title,
    description: program.description.slice(0, 160),
    program,
    price: formatMoney(program.price, program.currency),
    active,
    error,
  };
}

/** The member's 12 Steps: times in her zone, what opens next, and the acknowledgements asked for. */
export function stepsPage(
  me: MyProgramDto,
  program: ProgramDto,
  zone: string | null,
  query: Query,
): PageData {
  const active = me.enrollment.status === 'active';
  const steps = me.steps.map((s) => ({
    ...s,
    availableLabel: formatMoment(s.availableAt, zone),
    completedLabel: formatMoment(s.completedAt, zone),
    /** A link to the step: open or completed, while the enrollment is active. */
    readable: active && s.status !== 'locked',
    badge:
      s.status === 'completed' ? 'Completed' : s.status === 'locked' || !active ? 'Locked' : 'Open',
  }));
  const next = steps.find((s) => s.status === 'locked' && s.availableAt);
  return {
    title: 'Your 12 Steps',
    /** Why the steps are closed ("refunded", "ended"), or null while the enrollment is active. */
    closedBecause: active ? null : me.enrollment.status === 'refunded' ? 'refunded' : 'ended',
    finished: me.progress.completed === me.progress.total,
    programTitle: program.title,
    dripDaysText: dripDaysText(program.dripDays),
    enrollment: me.enrollment,
    progress: me.progress,
    percent: Math.round((me.progress.completed / me.progress.total) * 100),
    steps,
    next: next ?? null,
    waitingForCompletion: !next && steps.some((s) => s.status === 'available'),
    sharingNotice: typeof query.sharing === 'string' ? query.sharing : null,
    confirmMissing: query.confirm === 'share',
    completedStep:
      steps.find((s) => String(s.number) === query.completed && s.status === 'completed') ?? null,
  };
}

/** What a step page shows besides the step: the form, its messages, the notices from the query. */
export interface StepPageState {
  /** The reflection as typed (kept on an error), else the saved one. */
  text?: string;
  error?: string | null;
  sharingError?: string | null;
}

export function stepPage(
  detail: MemberStepDetailDto,
  zone: string | null,
  query: Query,
  state: StepPageState = {},
): PageData {
  const error = state.error ?? null;
  return {
    title: `Step ${detail.number}: ${detail.title}`,
    step: detail,
    form: {
      text: state.text ?? detail.reflection?.text ?? '',
      shared: detail.reflection?.sharedWithCoach ?? false,
    },
    max: REFLECTION_MAX,
    error,
    sharingError: state.sharingError ?? null,
    saved: query.saved === '1' && !error,
    sharedNotice: query.shared === '1' ? 'shared' : query.private === '1' ? 'private' : null,
    opened: query.opened === '1',
    savedLabel: detail.reflection ? formatMoment(detail.reflection.updatedAt, zone) : null,
  };
}

export const tooLongMessage = (length: number): string =>
  `Your reflection is ${length.toLocaleString('en')} characters; the limit is ${REFLECTION_MAX.toLocaleString('en')}. Nothing was lost: your text is still below. Please shorten it and save again.`;

export const SHARE_UNCONFIRMED =
  'Please tick the box to confirm that your coach may read this reflection. Nothing was shared.';
export const SHARE_NOTHING_SAVED = 'Save your reflection first; then you can choose to share it.';
