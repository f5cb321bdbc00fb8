/**
 * The coach's scheduling pages beyond weekly hours, as pure functions: what each form's fields say
 * when refused, how the "days off" and "settings" forms read, and the success notices.
 */
import { validateForm } from '../common/validation';
import type { FieldSpecs, FormBody, FormRead, Notice } from '../web/forms';
import { wholeDays } from './days-off-view';
import { CoachSettingsDto } from './dto/settings.dto';

export const SETTINGS_FIELDS: FieldSpecs = {
  displayName: 'Write your name as clients should see it (at most 120 characters).',
  cancellationNoticeHours: 'Cancellation notice can be 0 to 720 hours (30 days).',
  maxSessionsPerDay: 'Choose 1 to 100 sessions a day, or leave it empty for no limit.',
};
export const DAY_OFF_FIELDS: FieldSpecs = {
  from: 'Choose the first day off.',
  until: 'The last day off must be on or after the first.',
  reason: 'Keep the note under 200 characters.',
};
export const OVERRIDE_FIELDS: FieldSpecs = {
  date: { id: 'override-date', message: 'Choose the date.' },
  start: { id: 'override-start', message: 'Choose when you start that day.' },
  end: { id: 'override-end', message: 'The end must be after the start (00:00 means midnight).' },
};

/** The API's keys for a day off (start/end instants) as the page's fields (from/until dates). */
export const dayOffKey = (k: string) => (k === 'end' ? 'until' : k === 'start' ? 'from' : k);

/** The service checks the whole availability; its messages about the added date go to its fields. */
export const overrideKey = (k: string) =>
  /^overrides\.\d+\.date$/.test(k) ? 'date' : /^overrides\.\d+\.intervals/.test(k) ? 'end' : k;

const SEE_TIMES = { href: '/book', text: 'See your open times as clients do' };

const DAYS_OFF_NOTICES: Record<string, Notice> = {
  off: { text: 'Saved: clients can’t book you then.', link: SEE_TIMES },
  hours: { text: 'Saved: clients see those hours for that date.', link: SEE_TIMES },
  removed: { text: 'Removed.' },
};

/** The "Days off" page's notice after `?saved=off|hours|removed`. */
export const daysOffNotice = (saved: string | undefined): Notice | undefined =>
  saved && Object.hasOwn(DAYS_OFF_NOTICES, saved) ? DAYS_OFF_NOTICES[saved] : undefined;

export const availabilityNotice = (saved: boolean, zoneLabel: string): Notice | undefined =>
  saved ? { text: `Saved: your hours are in ${zoneLabel}.`, link: SEE_TIMES } : undefined;

export const settingsNotice = (saved: boolean): Notice | undefined =>
  saved
    ? {
        text: 'Saved: clients see your name, notice and daily limit from now on.',
        link: { href: '/book', text: 'See your booking page' },
      }
    : undefined;

export interface DayOff {
  start: string;
  end: string;
  reason?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The "days off" form (from/until dates, a note) as whole days in the coach's zone. */
export function readDayOff(body: FormBody, zone: string): FormRead<DayOff> {
  const from = (body.from ?? '').trim();
  const until = (body.until ?? '').trim() || from;
  if (!DATE.test(from)) return { ok: false, errors: { from: ['from is missing'] } };
  if (!DATE.test(until) || until < from)
    return { ok: false, errors: { until: ['until is before from'] } };
  if ((body.reason ?? '').length > 200) return { ok: false, errors: { reason: ['too long'] } };
  try {
    return {
      ok: true,
      value: { ...wholeDays(zone, from, until), reason: body.reason?.trim() || undefined },
    };
  } catch {
    return { ok: false, errors: { from: ['from is not a date'] } };
  }
}

/** The booking settings form (notice defaults to 24 hours; an empty daily limit is none). */
export function readSettings(body: FormBody): Promise<FormRead<CoachSettingsDto>> {
  const max = body.maxSessionsPerDay?.trim();
  return validateForm(CoachSettingsDto, {
    displayName: body.displayName?.trim(),
    cancellationNoticeHours: body.cancellationNoticeHours?.trim() || '24',
    maxSessionsPerDay: max ? Number(max) : null,
  });
}
