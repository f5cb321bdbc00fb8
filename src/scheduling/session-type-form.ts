/**
 * The session-type page form, converted to and from the API's DTO (which stays as SPEC has it):
 * the price is money in major units of the picked currency, notice is in hours, the web address
 * is made from the name when left empty, and start times step by a choice from a list.
 *
 * New types start with 24 hours' notice and 30-minute steps. SPEC's API default for
 * `slotIntervalMinutes` is the duration, which for a 50-minute session offers 9:00, 9:50, 10:40…;
 * the page instead preselects 30 minutes, so that with hours on the quarter hour every start
 * time falls on the half hour, and a visitor sees about two choices an hour (15-minute steps
 * double the list for little gain). "Back to back" (null: the API's default) stays one choice away.
 */
import { CURRENCIES, readPriceField, toMajorInput } from '../common/money';
import { plainSentence } from '../web/forms';
import type { FieldSpecs, FormBody, RawErrors } from '../web/forms';
import type { SessionTypeOutDto } from './dto/session-type.dto';
import { parseQuestionLines, questionLines } from './session-type-extras';
import type { IntakeQuestion } from './session-type.entity';

export const DEFAULT_NOTICE_HOURS = 24;
export const DEFAULT_STEP_MINUTES = 30;
export const STEP_CHOICES = [15, 30, 60];

/** What the form shows for a new type. */
export const NEW_TYPE_VALUES: FormBody = {
  durationMinutes: '50',
  price: '0',
  currency: 'usd',
  bufferBeforeMinutes: '0',
  bufferAfterMinutes: '0',
  minimumNoticeHours: String(DEFAULT_NOTICE_HOURS),
  bookingWindowDays: '60',
  slotIntervalMinutes: String(DEFAULT_STEP_MINUTES),
};

export const SESSION_TYPE_FIELDS: FieldSpecs = {
  name: { id: 'st-name', message: 'Give the session a name (at most 120 characters).' },
  slug: {
    id: 'st-slug',
    message:
      'Use lower-case letters, digits and hyphens for the web address (at most 80), or leave it empty to make one from the name.',
  },
  description: { id: 'st-description', message: 'Keep the description under 2,000 characters.' },
  durationMinutes: {
    id: 'st-durationMinutes',
    message: 'Choose a length between 5 and 480 minutes.',
  },
  price: { id: 'st-price' },
  currency: { id: 'st-currency', message: 'Pick a currency from the list.' },
  bufferBeforeMinutes: {
    id: 'st-bufferBeforeMinutes',
    message: 'A break before can be 0 to 240 minutes.',
  },
  bufferAfterMinutes: {
    id: 'st-bufferAfterMinutes',
    message: 'A break after can be 0 to 240 minutes.',
  },
  minimumNoticeMinutes: {
    id: 'st-minimumNoticeHours',
    message: 'Notice can be 0 to 720 hours (30 days).',
  },
  minimumNoticeHours: {
    id: 'st-minimumNoticeHours',
    message: 'Notice can be 0 to 720 hours (30 days), in hours, for example 24.',
  },
  bookingWindowDays: {
    id: 'st-bookingWindowDays',
    message: 'Clients can book 1 to 730 days ahead.',
  },
  slotIntervalMinutes: {
    id: 'st-slotIntervalMinutes',
    message: 'Pick how often start times come from the list.',
  },
  location: { id: 'st-location', message: 'Keep the place under 300 characters.' },
  'meeting.kind': { id: 'st-meetingKind' },
  'meeting.value': { id: 'st-meetingValue' },
  meeting: { id: 'st-meetingValue' },
  intakeQuestions: { id: 'st-intakeQuestions' },
};

/** "Deep Dive: Één" → "deep-dive-een". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

const int = (v: string | undefined): number | string | undefined => {
  const t = (v ?? '').trim();
  if (t === '') return undefined;
  return /^\d+$/.test(t) ? Number(t) : t; // a non-number goes through and fails the DTO's IsInt
};

/**
 * The page's fields as the DTO's raw input (validated by the same DTO as the API), or the
 * page-only errors (money, currency, notice). Unknown fields are not passed on.
 */
export function sessionTypeInput(body: FormBody): {
  raw: Record<string, unknown>;
  errors: RawErrors;
} {
  const errors: RawErrors = {};
  const currency = (body.currency ?? '').trim().toLowerCase();
  if (!CURRENCIES.some((c) => c.code === currency))
    errors.currency = ['currency is not in the list'];
  const price = readPriceField(body.price, currency || 'usd');
  if (!price.ok) errors.price = [price.message];
  let notice: number | string | undefined;
  const hours = (body.minimumNoticeHours ?? '').trim().replace(',', '.');
  if (hours === '') notice = DEFAULT_NOTICE_HOURS * 60;
  else if (/^\d{1,3}(\.\d{1,2})?$/.test(hours)) notice = Math.round(Number(hours) * 60);
  else errors.minimumNoticeHours = ['minimumNoticeHours must be a number of hours'];
  const step = (body.slotIntervalMinutes ?? '').trim();
  const name = (body.name ?? '').trim();
  const slug = (body.slug ?? '').trim().toLowerCase() || slugify(name);
  const raw: Record<string, unknown> = {
    name,
    slug,
    description: body.description ?? '',
    durationMinutes: int(body.durationMinutes),
    price: price.ok ? price.minor : 0,
    currency: currency || 'usd',
    bufferBeforeMinutes: int(body.bufferBeforeMinutes) ?? 0,
    bufferAfterMinutes: int(body.bufferAfterMinutes) ?? 0,
    minimumNoticeMinutes: notice,
    bookingWindowDays: int(body.bookingWindowDays),
    slotIntervalMinutes: step === '' || step === 'duration' ? null : int(step),
    location: body.location ?? '',
    intakeQuestions: parseQuestionLines(body.intakeQuestions ?? ''),
  };
  if (body.meetingKind)
    raw.meeting = {
      kind: body.meetingKind,
      ...(body.meetingValue?.trim() ? { value: body.meetingValue.trim() } : {}),
    };
  for (const [k, v] of Object.entries(raw)) if (v === undefined) delete raw[k];
  return { raw, errors };
}

/** A saved type as the form's values. */
export function sessionTypeValues(t: SessionTypeOutDto): FormBody {
  const hours = t.minimumNoticeMinutes / 60;
  return {
    name: t.name,
    slug: t.slug,
    description: t.description,
    durationMinutes: String(t.durationMinutes),
    price: toMajorInput(t.price, t.currency),
    currency: t.currency,
    bufferBeforeMinutes: String(t.bufferBeforeMinutes),
    bufferAfterMinutes: String(t.bufferAfterMinutes),
    minimumNoticeHours: Number.isInteger(hours)
      ? String(hours)
      : hours.toFixed(2).replace(/0$/, ''),
    bookingWindowDays: String(t.bookingWindowDays),
    slotIntervalMinutes:
      t.slotIntervalMinutes === null ? 'duration' : String(t.slotIntervalMinutes),
    location: t.location,
    meetingKind: t.meeting.kind,
    meetingValue: t.meeting.value ?? '',
    intakeQuestions: questionLines(t.intakeQuestions as IntakeQuestion[]),
  };
}

/** The step choices for the select, keeping an unusual saved value (set through the API) as one. */
export function stepChoices(current: string | undefined): { value: string; label: string }[] {
  const steps = [...STEP_CHOICES];
  const n = Number(current);
  if (Number.isInteger(n) && n > 0 && !steps.includes(n)) steps.push(n);
  return [
    ...steps
      .sort((a, b) => a - b)
      .map((s) => ({ value: String(s), label: s === 60 ? 'Every hour' : `Every ${s} minutes` })),
    { value: 'duration', label: 'Back to back (every session length)' },
  ];
}

/** Intake-question messages name the line: "Question 2 (options): …". */
export function describeSessionTypeError(key: string, message: string): string {
  const q = /^intakeQuestions\.(\d+)\.?(.*)$/.exec(key);
  if (q)
    return `Question ${Number(q[1]) + 1}${q[2] ? ` (${q[2]})` : ''}: ${plainSentence(q[2] || key, message)}`;
  return plainSentence(key, message);
}
