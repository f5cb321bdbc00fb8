import { formatMoment } from '../common/dates';
import { CURRENCIES, formatMoney, readPriceField, toMajorInput } from '../common/money';
import { validateForm } from '../common/validation';
import { FieldSpecs, FormBody, FormRead, Notice, noticeFor } from '../web/forms';
import { PageData } from '../web/page';
import {
  CoachEnrollmentDto,
  GrantDto,
  ProgramDto,
  SharedReflectionDto,
  UnlockDto,
  UpdateProgramDto,
  UpdateStepDto,
} from './dto/program.dto';
import { canOpenSteps, canRefund, stepNumbers } from './enrollment-rules';
import { STEP_COUNT } from './unlocking';

/** The coach's program pages: their forms (fields, plain words, reading) and view models. */

export const PROGRAM_FORM = {
  template: 'coach/program',
  fields: {
    title: 'Give the program a title (at most 200 characters).',
    description: 'Keep the description under 10,000 characters.',
    price: {},
    currency: 'Pick a currency from the list.',
    dripDays: 'Days between steps can be 0 to 365.',
  } satisfies FieldSpecs,
};

export const STEP_FORM = {
  template: 'coach/program-step',
  fields: {
    title: 'Give the step a title (at most 200 characters).',
    summary: 'Keep the summary under 2,000 characters.',
    body: 'Keep the body under 50,000 characters.',
    prompts: 'Write at most 10 prompts, one per line, each under 1,000 characters.',
  } satisfies FieldSpecs,
};

export const GRANT_FORM = {
  template: 'coach/members',
  fields: { email: { id: 'grant-email', message: 'Please enter a valid email address.' } },
  codeFields: { CONFLICT: 'email', ALREADY_ENROLLED: 'email' } as const,
};

/** Each member's row has its own step picker, so the error points at that member's. */
export const unlockForm = (enrollmentId: string) => ({
  template: 'coach/members',
  fields: {
    step: { id: `step-${enrollmentId}`, message: `Choose a step between 1 and ${STEP_COUNT}.` },
  },
});

export const REFUND_FORM = {
  template: 'coach/member',
  fields: {
    confirm: { id: 'refund-confirm', message: 'Please tick the box to confirm the refund.' },
  },
};

export const programPage = (program: ProgramDto, notice?: Notice): PageData => ({
  title: 'The 12 Steps: program',
  program,
  currencies: CURRENCIES,
  notice,
});

/** The program form's values for a saved program: the price in major units ("199.00"). */
export const programValues = (program: ProgramDto): object => ({
  ...program,
  price: toMajorInput(program.price, program.currency),
});

export const programNotice = (saved: string | undefined): Notice | undefined =>
  noticeFor(saved, {
    '1': {
      text: 'Saved.',
      link: { href: '/program', text: 'See the program page as visitors do' },
    },
  });

/** Reads the program form: a price typed as money in the chosen currency, a title always. */
export async function readProgramForm(body: FormBody): Promise<FormRead<UpdateProgramDto>> {
  const currency = (body.currency ?? '').toLowerCase();
  const price = readPriceField(body.price, currency);
  const form = await validateForm(UpdateProgramDto, {
    title: body.title,
    description: body.description ?? '',
    currency,
    dripDays: body.dripDays,
    price: price.ok ? String(price.minor) : '0',
  });
  // The API may leave the title out (a partial update); the page always sends one.
  const errors = {
    ...(body.title?.trim() ? {} : { title: ['title is empty'] }),
    ...(form.ok ? {} : form.errors),
    ...(price.ok ? {} : { price: [price.message] }),
    ...(CURRENCIES.some((c) => c.code === currency) ? {} : { currency: ['not in the list'] }),
  };
  if (!form.ok || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { ...form.value, description: body.description ?? '' } };
}

export const stepPage = (number: number, notice?: Notice): PageData => ({
  title: `Edit step ${number}`,
  step: { number },
  notice,
});

export const stepNotice = (saved: string | undefined): Notice | undefined =>
  noticeFor(saved, {
    '1': {
      text: 'Saved. Members see it when the step opens.',
      link: { href: '/program', text: 'See the program page' },
    },
  });

/** Reads the step form: prompts one per line; summary and body may be blank. */
export async function readStepForm(body: FormBody): Promise<FormRead<UpdateStepDto>> {
  const dto = Object.assign(new UpdateStepDto(), {
    title: body.title ?? '',
    summary: body.summary ?? '',
    body: body.body ?? '',
    prompts: (body.prompts ?? '')
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  });
  const form = await validateForm(UpdateStepDto, {
    ...dto,
    summary: dto.summary || ' ',
    body: dto.body || ' ',
  });
  return form.ok ? { ok: true, value: dto } : form;
}

export const readGrantForm = (body: FormBody): Promise<FormRead<GrantDto>> =>
  validateForm(GrantDto, { email: body.email });

export const readUnlockForm = (body: FormBody): Promise<FormRead<UnlockDto>> =>
  validateForm(UnlockDto, { step: body.step });

export const readRefundForm = (body: FormBody): FormRead<true> =>
  body.confirm === 'yes' ? { ok: true, value: true } : { ok: false, errors: { confirm: [] } };

export const membersNotice = (notice: string | undefined): Notice | undefined =>
  noticeFor(notice, {
    granted: 'Enrolled. They have a welcome mail (and a link to set a password if they were new).',
    unlocked: 'Step opened for that member.',
  });

/** The members list: each row with what the coach may do with it, decided here, not in the template. */
export function membersPage(
  list: CoachEnrollmentDto[],
  program: ProgramDto,
  notice?: Notice,
): PageData {
  return {
    title: 'Members of the 12 Steps',
    members: list.map((m) => ({
      ...m,
      activatedLabel: formatMoment(m.activatedAt, null),
      canOpenSteps: canOpenSteps(m),
    })),
    steps: stepNumbers(),
    price: formatMoney(program.price, program.currency),
    notice,
  };
}

export const memberNotice = (refunded: string | undefined): Notice | undefined =>
  noticeFor(refunded, {
    '1': 'Refunded. Their access to the steps has ended; their reflections remain theirs.',
  });

/** One member's shared reflections, and whether the refund form is offered. */
export function memberPage(
  row: CoachEnrollmentDto | undefined,
  reflections: SharedReflectionDto[],
  notice?: Notice,
): PageData {
  return {
    title: row ? `${row.member.displayName}: shared reflections` : 'Shared reflections',
    member: row ?? null,
    canRefund: row ? canRefund(row) : false,
    reflections: reflections.map((r) => ({ ...r, updatedLabel: formatMoment(r.updatedAt, null) })),
    notice,
  };
}
