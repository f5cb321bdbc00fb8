/**
 * The booking page's "Your details" form as pure functions: the plain sentence each field shows
 * when refused, the values kept when the form comes back, and the body as the API's DTO reads it.
 */
import type { IntakeQuestion } from '../scheduling/session-type-record';
import type { CodeFields, FieldSpecs, FormBody } from '../web/forms';

/** A time taken or no longer offered: the service's own sentence, linked to "choose another time". */
export const TIME_GONE: CodeFields = { SLOT_UNAVAILABLE: 'start', SLOT_TAKEN: 'start' };

export interface DetailsValues {
  name?: string;
  email?: string;
  notes?: string;
  preferredName?: string;
  pronouns?: string;
  intake?: Record<string, string>;
}

/** An intake question's input id (`intake-<id>`), for its label, its error and the summary link. */
export const intakeInputId = (questionId: string) => `intake-${questionId}`;

/** The form's fields in page order, each refused in its own words (intake questions by label). */
export function detailsFields(questions: IntakeQuestion[]): FieldSpecs {
  const fields: FieldSpecs = {
    start: 'Please choose a time from the list.',
    name: 'Write your name (at most 120 characters).',
    preferredName: 'Keep your preferred name to one line of at most 80 characters.',
    pronouns: 'Keep your pronouns to one line of at most 40 characters.',
    email: 'Write your email address, like name@example.com.',
  };
  for (const q of questions)
    fields[`intake.${q.id}`] = {
      id: intakeInputId(q.id),
      message:
        q.kind === 'checkbox'
          ? `Please tick “${q.label}” to go on.`
          : q.kind === 'choice'
            ? `Please choose an answer to “${q.label}”.`
            : `Please answer “${q.label}” (at most 2 000 characters).`,
    };
  fields.notes = 'Keep your note under 2 000 characters.';
  // Anything else the service refuses about the answers (e.g. too many) goes to the summary.
  fields.intake = 'Please check your answers to the questions.';
  return fields;
}

/** The intake answers as typed (`intake_<id>` fields), each cut to what the API takes. */
export function intakeFromBody(body: FormBody): Record<string, string> {
  const intake: Record<string, string> = {};
  for (const [k, v] of Object.entries(body))
    if (k.startsWith('intake_') && typeof v === 'string')
      intake[k.slice('intake_'.length)] = v.slice(0, 4000);
  return intake;
}

/** What the form shows again when it comes back. */
export function detailsValues(body: FormBody): DetailsValues {
  return {
    name: body.name,
    email: body.email,
    notes: body.notes,
    preferredName: body.preferredName,
    pronouns: body.pronouns,
    intake: intakeFromBody(body),
  };
}

/** The body as the API's CreateBookingDto takes it (a blank optional field is "not given"). */
export function bookingInput(body: FormBody, slug: string, zone: string) {
  return {
    sessionType: slug,
    start: body.start ?? '',
    name: body.name,
    email: body.email,
    timeZone: zone,
    notes: body.notes,
    preferredName: body.preferredName?.trim() || undefined,
    pronouns: body.pronouns?.trim() || undefined,
    intake: intakeFromBody(body),
  };
}
